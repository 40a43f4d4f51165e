// A drawing as a link: its strokes, the model that rebuilds it and the section in view, in the
// URL's fragment (`#drawing=…&model=…&section=…`), which never leaves the browser. Or a test
// digit (`digit=N`) instead of strokes. Pure functions: main.js reads and writes the address.
//
// Strokes are point lists in 0…1 of the pad (see draw.js), kept on a grid of GRID steps, so a
// link holds a drawing exactly: opened at the same pad size, it paints the same pixels. Each
// point is 12 bits of x and 12 of y, three bytes, four base64url characters; strokes are
// separated by dots.

/** Points are multiples of 1/GRID; the pad rounds them so as it draws. */
export const GRID = 4095;
/** More points than a hand draws in one digit, and a fragment every browser keeps (≈ 40 kB). */
const MAX_POINTS = 10000;
const MAX_STROKES = 200;

/** `value` (0…1) on the link's grid. */
export const onGrid = (value) => Math.round(Math.min(1, Math.max(0, value)) * GRID) / GRID;

/** The fragment (without "#") for `strokes` or a test digit, a model id and a section id. */
export function linkFragment({ strokes = [], digit = null, model = null, section = null }) {
  const params = new URLSearchParams();
  if (digit !== null) params.set("digit", String(digit));
  else params.set("drawing", strokes.map(encodeStroke).join("."));
  if (model) params.set("model", model);
  if (section) params.set("section", section);
  return params.toString();
}

/**
 * What a fragment asks for: `null` when it holds no link (empty, or an ordinary `#anchor`),
 * else `{strokes, digit, model, section}` (absent parts null); throws an Error saying what is
 * wrong with a damaged or hand-edited one.
 * @param {string} hash `location.hash`
 * @param {{models: string[], sections: string[]}} known the ids a link may name
 */
export function parseFragment(hash, { models, sections }) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const drawing = params.get("drawing");
  const digitText = params.get("digit");
  if (drawing === null && digitText === null) return null;
  if (drawing !== null && digitText !== null) throw new Error("it holds both a drawing and a test digit");
  let strokes = null;
  let digit = null;
  if (drawing !== null) {
    strokes = drawing === "" ? [] : drawing.split(".").map(decodeStroke);
    if (strokes.length > MAX_STROKES) throw new Error(`${strokes.length} strokes is more than ${MAX_STROKES}`);
    const points = strokes.reduce((sum, stroke) => sum + stroke.length, 0);
    if (points > MAX_POINTS) throw new Error(`${points} points is more than ${MAX_POINTS}`);
  } else {
    if (!/^\d{1,6}$/.test(digitText)) throw new Error(`"${digitText}" is not a test digit's number`);
    digit = Number(digitText);
  }
  const model = params.get("model");
  if (model !== null && !models.includes(model)) throw new Error(`this page has no model "${model}"`);
  const section = params.get("section");
  if (section !== null && !sections.includes(section)) throw new Error(`this page has no section "${section}"`);
  return { strokes, digit, model, section };
}

function encodeStroke(points) {
  const bytes = new Uint8Array(points.length * 3);
  points.forEach(({ x, y }, i) => {
    const [gx, gy] = [Math.round(onGrid(x) * GRID), Math.round(onGrid(y) * GRID)];
    bytes[3 * i] = gx >> 4;
    bytes[3 * i + 1] = ((gx & 0xf) << 4) | (gy >> 8);
    bytes[3 * i + 2] = gy & 0xff;
  });
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_");
}

function decodeStroke(text) {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9_-]+$/.test(text)) {
    throw new Error("a stroke is not a whole number of points");
  }
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  const points = [];
  for (let i = 0; i < binary.length; i += 3) {
    const [a, b, c] = [binary.charCodeAt(i), binary.charCodeAt(i + 1), binary.charCodeAt(i + 2)];
    const gx = (a << 4) | (b >> 4);
    const gy = ((b & 0xf) << 8) | c;
    points.push({ x: gx / GRID, y: gy / GRID });
  }
  return points;
}
