//! The few browser services the viewer uses, each returning errors as text for the page to show (never
//! panicking): the date, the query string, local storage, downloads, the clipboard, file reading.
//! No network API is used anywhere.

use crate::state::Saved;
use gloo::file::callbacks::FileReader;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};

/// The local-storage key of a remembered review.
pub const STORAGE_KEY: &str = "clearance.review.v1";

pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn describe(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|err| String::from(err.message()))
        })
        .unwrap_or_else(|| "the browser refused".to_string())
}

/// Today's date in UTC, `YYYY-MM-DD` (what the CLI uses by default).
pub fn today_utc() -> Option<String> {
    let iso = String::from(js_sys::Date::new_0().to_iso_string());
    iso.get(..10).map(str::to_string)
}

/// A query-string flag (`?embed=1`).
pub fn query_flag(name: &str) -> bool {
    let Some(search) = window().and_then(|w| w.location().search().ok()) else {
        return false;
    };
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()
        .and_then(|p| p.get(name))
        .is_some_and(|v| v != "0" && v != "false")
}

pub fn own_origin() -> String {
    window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// The `content` of `<meta name=NAME>`.
pub fn meta(name: &str) -> Option<String> {
    let doc = window()?.document()?;
    let el = doc
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()??;
    el.get_attribute("content")
}

/// Is the page inside a frame?
pub fn is_framed() -> bool {
    let Some(w) = window() else { return false };
    match w.top() {
        Ok(Some(top)) => !js_sys::Object::is(top.as_ref(), w.as_ref()),
        _ => true,
    }
}

/// The origin of the page that frames this one, when the browser tells it.
pub fn parent_origin() -> Option<String> {
    let w = window()?;
    let ancestors =
        js_sys::Reflect::get(w.location().as_ref(), &JsValue::from_str("ancestorOrigins")).ok()?;
    let first = js_sys::Reflect::get(&ancestors, &JsValue::from_f64(0.0)).ok()?;
    if let Some(origin) = first.as_string() {
        return Some(origin);
    }
    let referrer = w.document()?.referrer();
    web_sys::Url::new(&referrer).ok().map(|u| u.origin())
}

fn storage() -> Result<web_sys::Storage, String> {
    window()
        .ok_or("no window")?
        .local_storage()
        .map_err(|e| describe(&e))?
        .ok_or_else(|| "this browser keeps no local storage here".to_string())
}

/// The remembered review, if one was stored.
pub fn load_saved() -> Result<Option<Saved>, String> {
    let Some(text) = storage()?.get_item(STORAGE_KEY).map_err(|e| describe(&e))? else {
        return Ok(None);
    };
    serde_json::from_str(&text).map(Some).map_err(|e| {
        format!(
            "the review remembered on this device cannot be read ({e}); press Forget to remove it"
        )
    })
}

pub fn store(saved: &Saved) -> Result<(), String> {
    let text = serde_json::to_string(saved).map_err(|e| e.to_string())?;
    storage()?.set_item(STORAGE_KEY, &text).map_err(|e| {
        format!(
            "cannot remember the review on this device: {}",
            describe(&e)
        )
    })
}

pub fn forget() -> Result<(), String> {
    storage()?
        .remove_item(STORAGE_KEY)
        .map_err(|e| describe(&e))
}

/// Saves `text` as a file download (a `blob:` URL of this origin; nothing is sent anywhere).
pub fn download(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let w = window().ok_or("no window")?;
    let doc = w.document().ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| describe(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| describe(&e))?;
    let anchor: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|e| describe(&e))?
        .dyn_into()
        .map_err(|_| "cannot create a link".to_string())?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // The download has started from the click; the URL can go once this task ends.
    let revoke = url.clone();
    yew::platform::spawn_local(async move {
        let _ = web_sys::Url::revoke_object_url(&revoke);
    });
    Ok(())
}

/// Copies text to the clipboard.
pub async fn copy(text: String) -> Result<(), String> {
    let w = window().ok_or("no window")?;
    let clipboard = js_sys::Reflect::get(w.navigator().as_ref(), &JsValue::from_str("clipboard"))
        .map_err(|e| describe(&e))?;
    if clipboard.is_undefined() {
        return Err("this browser offers no clipboard here; use Download instead".into());
    }
    let write = js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))
        .map_err(|e| describe(&e))?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| "this browser cannot write text to the clipboard".to_string())?;
    let promise = write
        .call1(&clipboard, &JsValue::from_str(&text))
        .map_err(|e| describe(&e))?
        .dyn_into::<js_sys::Promise>()
        .map_err(|_| "the clipboard did not answer".to_string())?;
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| format!("the clipboard refused: {}", describe(&e)))
}

/// A file read as text, or why it could not be.
pub type ReadResult = Result<(String, String), String>;

/// Readers in flight, kept alive until their callback has fired (dropping one cancels the read).
#[derive(Default)]
pub struct Readers {
    next: u64,
    live: HashMap<u64, FileReader>,
}

/// Reads files as UTF-8 text. `done` is called once per file, with its name and text or an error.
pub fn read_files(
    readers: &Rc<RefCell<Readers>>,
    files: Vec<web_sys::File>,
    done: yew::Callback<ReadResult>,
) {
    for file in files {
        let file = gloo::file::File::from(file);
        let name = file.name();
        let id = {
            let mut r = readers.borrow_mut();
            r.next += 1;
            r.next
        };
        let keep = Rc::clone(readers);
        let done = done.clone();
        let reader = gloo::file::callbacks::read_as_bytes(&file, move |result| {
            let outcome = match result {
                Err(e) => Err(format!("cannot read `{name}`: {e}")),
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => Ok((name, text)),
                    Err(e) => Err(format!(
                        "`{name}` is not UTF-8 text: invalid byte at offset {}; save the dump as UTF-8, as docker and podman print it",
                        e.utf8_error().valid_up_to()
                    )),
                },
            };
            done.emit(outcome);
            // Drop the reader after this callback has returned.
            yew::platform::spawn_local(async move {
                keep.borrow_mut().live.remove(&id);
            });
        });
        readers.borrow_mut().live.insert(id, reader);
    }
}

/// The files of a `FileList` (from an `<input type=file>` or a drop).
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

/// Milliseconds since the page started (for the timing shown in the footer).
pub fn now_ms() -> f64 {
    window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Posts a JSON message to the parent page, for one target origin.
pub fn post_to_parent(json: &str, origin: &str) -> Result<(), String> {
    let w = window().ok_or("no window")?;
    let parent = w
        .parent()
        .map_err(|e| describe(&e))?
        .ok_or("no parent page")?;
    let value = js_sys::JSON::parse(json).map_err(|e| describe(&e))?;
    parent
        .post_message(&value, origin)
        .map_err(|e| describe(&e))
}

/// Posts a JSON message back to the window that sent `event`. (The source is a window of another realm,
/// so it is no `instanceof Window` here: `postMessage` is looked up on it instead.)
pub fn reply(event: &web_sys::MessageEvent, json: &str) -> Result<(), String> {
    let source: JsValue = event.source().ok_or("the message has no source")?.into();
    let post = js_sys::Reflect::get(&source, &JsValue::from_str("postMessage"))
        .map_err(|e| describe(&e))?
        .dyn_into::<js_sys::Function>()
        .map_err(|_| "the message did not come from a window".to_string())?;
    let value = js_sys::JSON::parse(json).map_err(|e| describe(&e))?;
    post.call2(&source, &value, &JsValue::from_str(&event.origin()))
        .map(|_| ())
        .map_err(|e| describe(&e))
}

/// Did `event` come from this page's parent?
pub fn from_parent(event: &web_sys::MessageEvent) -> bool {
    let (Some(w), Some(source)) = (window(), event.source()) else {
        return false;
    };
    match w.parent() {
        Ok(Some(parent)) => js_sys::Object::is(parent.as_ref(), source.as_ref()) && is_framed(),
        _ => false,
    }
}

/// The posted data as JSON (structured-clone data goes through `JSON.stringify`).
pub fn message_json(event: &web_sys::MessageEvent) -> Option<serde_json::Value> {
    let text = js_sys::JSON::stringify(&event.data()).ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}
