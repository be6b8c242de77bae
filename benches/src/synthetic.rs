//! Generated inputs for the scale and batch measurements, in the shapes docker prints.

use serde_json::json;
use std::fmt::Write as _;

/// `layers` lines of `docker history --no-trunc --format '{{json .}}'`, newest first: a mix of
/// BuildKit RUN, ENV, COPY and classic-builder LABEL lines (the core's criterion bench includes this file).
pub fn history(layers: usize) -> String {
    let mut out = String::with_capacity(layers * 260);
    for i in (0..layers).rev() {
        let created_by = match i % 4 {
            0 => format!("RUN /bin/sh -c apt-get install -y --no-install-recommends pkg{i} && rm -rf /var/lib/apt/lists/* # buildkit"),
            1 => format!("ENV VAR_{i}=value-{i}"),
            2 => format!("COPY src/{i} /app/src/{i} # buildkit"),
            _ => format!("/bin/sh -c #(nop)  LABEL layer={i}"),
        };
        let id = if i + 1 == layers {
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        } else {
            "<missing>"
        };
        let line = json!({
            "Comment": "buildkit.dockerfile.v0",
            "CreatedAt": "2026-11-01T10:00:00Z",
            "CreatedBy": created_by,
            "CreatedSince": "3 weeks ago",
            "ID": id,
            "Size": if i % 4 == 0 { "12.3MB" } else { "0B" },
        });
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

/// One `docker image inspect` element.
fn image(i: usize) -> serde_json::Value {
    json!({
        "Id": format!("sha256:{i:064x}"),
        "RepoTags": [format!("example/app{i}:1.0.{i}")],
        "RepoDigests": [format!("example/app{i}@sha256:{:064x}", i + 7)],
        "Parent": "",
        "Comment": "buildkit.dockerfile.v0",
        "Created": "2026-11-01T10:00:00Z",
        "DockerVersion": "",
        "Author": "",
        "Config": {
            "User": "1001:1001",
            "ExposedPorts": {"8000/tcp": {}},
            "Env": ["PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", format!("APP_INDEX={i}")],
            "Cmd": ["uvicorn", "app.main:app", "--host", "0.0.0.0", "--port", "8000"],
            "Healthcheck": {"Test": ["CMD-SHELL", "curl -f http://localhost:8000/health || exit 1"],
                            "Interval": 30_000_000_000u64, "Timeout": 5_000_000_000u64,
                            "StartPeriod": 10_000_000_000u64, "Retries": 3},
            "WorkingDir": "/app",
            "Entrypoint": null,
            "OnBuild": null,
            "Labels": {"org.opencontainers.image.source": "https://example.invalid/app"}
        },
        "Architecture": "amd64",
        "Os": "linux",
        "Size": 150_000_000 + i,
        "GraphDriver": {"Data": null, "Name": "overlayfs"},
        "RootFS": {"Type": "layers", "Layers": [format!("sha256:{:064x}", i + 1)]},
        "Metadata": {"LastTagTime": "0001-01-01T00:00:00Z"}
    })
}

/// A `docker image inspect` array of `images` images, pretty-printed as docker does.
pub fn inspect(images: usize) -> String {
    let items: Vec<serde_json::Value> = (0..images).map(image).collect();
    serde_json::to_string_pretty(&items).unwrap_or_default()
}

/// One dump set of a batch: a real fixture made into a distinct image (its own id and tag), so a
/// batch of N sets is N images of realistic size and shape (the reactbin conforming and violating
/// dumps, alternating).
pub fn batch_set(fixture_image: &str, fixture_history: &str, n: usize) -> (String, String) {
    let mut id = String::new();
    let _ = write!(id, "sha256:{:064x}", n + 1);
    let image = match serde_json::from_str::<serde_json::Value>(fixture_image) {
        Ok(serde_json::Value::Array(mut items)) => {
            for item in &mut items {
                if let Some(obj) = item.as_object_mut() {
                    obj.insert("Id".into(), json!(id));
                    obj.insert(
                        "RepoTags".into(),
                        json!([format!(
                            "registry.example/team/app{n}:{:07x}",
                            n + 0xabc0000
                        )]),
                    );
                }
            }
            serde_json::to_string_pretty(&items).unwrap_or_default()
        }
        _ => fixture_image.to_string(),
    };
    (image, fixture_history.to_string())
}
