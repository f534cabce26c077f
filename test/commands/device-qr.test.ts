import * as jsQRModule from "jsqr";
import { describe, expect, it } from "vitest";
import { QUIET_ZONE, qrMatrix, renderQr } from "../../src/commands/device/qr.js";

// jsqr is a UMD bundle: its function is module.exports, or .default of it, depending on the loader.
type Decode = (data: Uint8ClampedArray, width: number, height: number, options?: { inversionAttempts?: "dontInvert" }) => { data: string } | null;
const loaded = jsQRModule as unknown as { default: Decode | { default: Decode } };
const jsQR: Decode = typeof loaded.default === "function" ? loaded.default : loaded.default.default;

/**
 * What a phone camera does, minus the camera: the terminal text back to light/dark modules (each
 * character is two modules, top and bottom), scaled to pixels, decoded by jsQR, an independent
 * QR reader. "Light" is the drawn half block, as on a dark terminal.
 */
function decodeTerminalQr(text: string): string | undefined {
  const rows = text.replace(/\n$/, "").split("\n");
  const width = [...rows[0]!].length;
  const modules: boolean[][] = []; // true = dark
  for (const row of rows) {
    const cells = [...row];
    expect(cells).toHaveLength(width);
    modules.push(cells.map((c) => c !== "█" && c !== "▀"));
    modules.push(cells.map((c) => c !== "█" && c !== "▄"));
  }
  const scale = 8;
  const height = modules.length;
  const pixels = new Uint8ClampedArray(width * scale * height * scale * 4);
  for (let y = 0; y < height * scale; y++) {
    for (let x = 0; x < width * scale; x++) {
      const v = modules[Math.floor(y / scale)]![Math.floor(x / scale)] ? 0 : 255;
      pixels.set([v, v, v, 255], (y * width * scale + x) * 4);
    }
  }
  return jsQR(pixels, width * scale, height * scale, { inversionAttempts: "dontInvert" })?.data;
}

describe("the device flow's QR code, as terminal text", () => {
  const url = "http://127.0.0.1:8933/device?user_code=WDJB-MJHT";

  it("decodes back to verification_uri_complete with an independent reader", async () => {
    const text = renderQr(await qrMatrix(url));
    expect(decodeTerminalQr(text)).toBe(url);
  });

  it("a long https URI with a query decodes too", async () => {
    const long = "https://login.example.com/activate?user_code=ABCD-EFGH&tenant=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
    expect(decodeTerminalQr(renderQr(await qrMatrix(long)))).toBe(long);
  });

  it("is drawn with the quiet zone light and only half blocks and spaces", async () => {
    const matrix = await qrMatrix(url);
    const text = renderQr(matrix);
    const rows = text.trimEnd().split("\n");
    expect([...rows[0]!].every((c) => c === "█")).toBe(true); // the quiet zone's top rows
    expect(rows).toHaveLength(Math.ceil((matrix.size + 2 * QUIET_ZONE) / 2));
    expect(text).toMatch(/^[█▀▄ \n]+$/);
  });

  it("a code that is wrong by one module does not decode to the URI (the test can fail)", async () => {
    const matrix = await qrMatrix(url);
    // Flip the top-left finder pattern's centre: the reader loses its bearings, or reads something else.
    const broken = { size: matrix.size, isDark: (r: number, c: number) => (r >= 2 && r <= 4 && c >= 2 && c <= 4 ? false : matrix.isDark(r, c)) };
    expect(decodeTerminalQr(renderQr(broken))).not.toBe(url);
  });
});
