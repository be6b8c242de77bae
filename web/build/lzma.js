// A small LZMA ("LZMA alone", .lzma) decoder: a port of the reference decoder in the LZMA SDK's
// LzmaSpec.cpp (public domain, Igor Pavlov). The viewer's wasm ships LZMA-compressed inside a script
// module (web/build/inline_wasm.py): the page may make no request, so it cannot fetch the .wasm, and
// LZMA is a quarter smaller than gzip, which keeps the bundle within its budget.

const PROB_INIT = 1024;

/**
 * Decodes an .lzma stream (13-byte header, then range-coded data) into `size` bytes.
 * Throws on corrupt input.
 */
export function decodeLzma(input, size) {
  if (input.length < 18) throw new Error("lzma: truncated header");
  let d = input[0];
  if (d >= 9 * 5 * 5) throw new Error("lzma: bad properties");
  const lc = d % 9;
  d = (d / 9) | 0;
  const lp = d % 5;
  const pb = (d / 5) | 0;

  const out = new Uint8Array(size);
  let outPos = 0;

  // Range decoder.
  let inPos = 13;
  if (input[inPos++] !== 0) throw new Error("lzma: corrupt stream start");
  let range = 0xffffffff;
  let code = 0;
  for (let i = 0; i < 4; i++) code = ((code << 8) | input[inPos++]) >>> 0;
  if (code === range) throw new Error("lzma: corrupt stream start");

  function bit(i) {
    const v = P[i];
    const bound = (range >>> 11) * v;
    let b;
    if (code < bound) {
      range = bound;
      P[i] = v + ((2048 - v) >>> 5);
      b = 0;
    } else {
      range -= bound;
      code -= bound;
      P[i] = v - (v >>> 5);
      b = 1;
    }
    if (range < 0x1000000) {
      range = (range * 256) >>> 0;
      code = ((code * 256) + input[inPos++]) >>> 0;
    }
    return b;
  }
  function direct(n) {
    let res = 0;
    for (; n > 0; n--) {
      range >>>= 1;
      let b = 0;
      if (code >= range) {
        code -= range;
        b = 1;
      }
      res = res * 2 + b;
      if (range < 0x1000000) {
        range = (range * 256) >>> 0;
        code = ((code * 256) + input[inPos++]) >>> 0;
      }
    }
    return res;
  }
  function tree(offset, numBits) {
    let m = 1;
    for (let i = 0; i < numBits; i++) m = (m << 1) + bit(offset + m);
    return m - (1 << numBits);
  }
  function reverse(offset, numBits) {
    let m = 1;
    let sym = 0;
    for (let i = 0; i < numBits; i++) {
      const b = bit(offset + m);
      m = (m << 1) + b;
      sym |= b << i;
    }
    return sym;
  }
  // Every probability lives in one array (one array type at every access keeps the decoder fast);
  // these are the offsets of the models in it.
  let total = 0;
  const alloc = (n) => {
    const at = total;
    total += n;
    return at;
  };
  const isMatch = alloc(12 << 4);
  const isRep = alloc(12);
  const isRepG0 = alloc(12);
  const isRepG1 = alloc(12);
  const isRepG2 = alloc(12);
  const isRep0Long = alloc(12 << 4);
  const posSlot = alloc(4 << 6);
  const posDecoders = alloc(1 + 114);
  const align = alloc(16);
  const lenDecoder = () => ({ choice: alloc(2), low: alloc(16 << 3), mid: alloc(16 << 3), high: alloc(256) });
  const lenDec = lenDecoder();
  const repLenDec = lenDecoder();
  const literal = alloc(0x300 << (lc + lp));
  const P = new Uint16Array(total).fill(PROB_INIT);

  function decodeLen(l, posState) {
    if (bit(l.choice) === 0) return tree(l.low + (posState << 3), 3);
    if (bit(l.choice + 1) === 0) return 8 + tree(l.mid + (posState << 3), 3);
    return 16 + tree(l.high, 8);
  }

  let state = 0;
  let rep0 = 0;
  let rep1 = 0;
  let rep2 = 0;
  let rep3 = 0;
  const pbMask = (1 << pb) - 1;
  const lpMask = (1 << lp) - 1;

  while (true) {
    if (outPos === size) {
      // Done, unless an end marker follows (it is optional when the size is known).
      break;
    }
    const posState = outPos & pbMask;
    if (bit(isMatch + (state << 4) + posState) === 0) {
      const prev = outPos > 0 ? out[outPos - 1] : 0;
      const base = literal + 0x300 * (((outPos & lpMask) << lc) + (prev >>> (8 - lc)));
      let sym = 1;
      if (state >= 7) {
        let matchByte = out[outPos - rep0 - 1];
        do {
          const matchBit = (matchByte >>> 7) & 1;
          matchByte <<= 1;
          const b = bit(base + ((1 + matchBit) << 8) + sym);
          sym = (sym << 1) | b;
          if (matchBit !== b) break;
        } while (sym < 0x100);
      }
      while (sym < 0x100) sym = (sym << 1) | bit(base + sym);
      out[outPos++] = sym - 0x100;
      state = state < 4 ? 0 : state < 10 ? state - 3 : state - 6;
      continue;
    }
    let len;
    if (bit(isRep + state) !== 0) {
      if (outPos === 0) throw new Error("lzma: corrupt data");
      if (bit(isRepG0 + state) === 0) {
        if (bit(isRep0Long + (state << 4) + posState) === 0) {
          state = state < 7 ? 9 : 11;
          out[outPos] = out[outPos - rep0 - 1];
          outPos++;
          continue;
        }
      } else {
        let dist;
        if (bit(isRepG1 + state) === 0) {
          dist = rep1;
        } else {
          if (bit(isRepG2 + state) === 0) {
            dist = rep2;
          } else {
            dist = rep3;
            rep3 = rep2;
          }
          rep2 = rep1;
        }
        rep1 = rep0;
        rep0 = dist;
      }
      len = decodeLen(repLenDec, posState);
      state = state < 7 ? 8 : 11;
    } else {
      rep3 = rep2;
      rep2 = rep1;
      rep1 = rep0;
      len = decodeLen(lenDec, posState);
      state = state < 7 ? 7 : 10;
      // Distance.
      const lenState = len < 3 ? len : 3;
      const slot = tree(posSlot + (lenState << 6), 6);
      if (slot < 4) {
        rep0 = slot;
      } else {
        const numDirect = (slot >>> 1) - 1;
        let dist = (2 | (slot & 1)) * 2 ** numDirect;
        if (slot < 14) {
          dist += reverse(posDecoders + dist - slot, numDirect);
        } else {
          dist += direct(numDirect - 4) * 16;
          dist += reverse(align, 4);
        }
        rep0 = dist;
      }
      if (rep0 === 0xffffffff) break; // end marker
      if (rep0 >= outPos) throw new Error("lzma: corrupt distance");
    }
    len += 2;
    if (outPos + len > size) throw new Error("lzma: data longer than its size");
    for (; len > 0; len--) {
      out[outPos] = out[outPos - rep0 - 1];
      outPos++;
    }
  }
  if (outPos !== size) throw new Error("lzma: data shorter than its size");
  return out;
}
