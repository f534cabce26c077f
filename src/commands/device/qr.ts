/**
 * A QR code as terminal text: two modules per character cell with the half blocks ▀ ▄ █, so it
 * stays square and small. Light modules (and the quiet zone) are drawn, dark ones left blank:
 * on the usual dark terminal that reads as dark-on-light, which phone cameras expect.
 * The matrix comes from qrcode-generator (MIT, no dependencies), loaded only by `device`.
 */
export const QUIET_ZONE = 2;

export interface QrMatrix {
  readonly size: number;
  isDark(row: number, col: number): boolean;
}

/** The QR matrix of `text`, byte mode, error correction M (survives a smudged screen photo). */
export async function qrMatrix(text: string): Promise<QrMatrix> {
  const { default: qrcode } = await import("qrcode-generator");
  const qr = qrcode(0, "M");
  qr.addData(text, "Byte");
  qr.make();
  return { size: qr.getModuleCount(), isDark: (row, col) => qr.isDark(row, col) };
}

/** The matrix as lines of half blocks, with a light quiet zone of {@link QUIET_ZONE} modules. */
export function renderQr(matrix: QrMatrix): string {
  const span = matrix.size + 2 * QUIET_ZONE;
  const light = (row: number, col: number) => {
    const r = row - QUIET_ZONE;
    const c = col - QUIET_ZONE;
    return r < 0 || c < 0 || r >= matrix.size || c >= matrix.size || !matrix.isDark(r, c);
  };
  const lines: string[] = [];
  for (let row = 0; row < span; row += 2) {
    let line = "";
    for (let col = 0; col < span; col++) {
      const top = light(row, col);
      // An odd span leaves the last cell row with a top half only: the bottom counts as dark.
      const bottom = row + 1 < span && light(row + 1, col);
      line += top && bottom ? "█" : top ? "▀" : bottom ? "▄" : " ";
    }
    lines.push(line);
  }
  return `${lines.join("\n")}\n`;
}
