/**
 * The QR code `<docv-status>` shows for a capture link: `uqr` computes the module matrix in the
 * browser, and we draw it ourselves as one Lit `svg` path (no `innerHTML`, no `unsafeSVG`, so it
 * renders under Trusted Types and a strict CSP). Only `encode` is imported; `uqr` is side-effect
 * free, so its own renderers stay out of the bundle.
 */
import { html, svg, type TemplateResult } from 'lit';
import { encode } from 'uqr';

/** Modules of light margin on every side: the QR specification asks for four. */
export const QUIET_ZONE = 4;

/** A square matrix of modules, `true` for dark, without any margin. */
export type QrMatrix = readonly (readonly boolean[])[];

/**
 * The modules for `text`, or null when it cannot be encoded (too long for a QR code, or text
 * `encodeURI` refuses). Level M survives a smudged or partly glared screen and keeps a
 * capture URL of a few hundred characters at a size a phone reads from a laptop screen.
 */
export function qrMatrix(text: string): QrMatrix | null {
  try {
    return encode(text, { ecc: 'M', border: 0 }).data;
  } catch {
    return null;
  }
}

/**
 * An SVG path drawing the dark modules, shifted by the quiet zone: one `M x y h{run}v1h-{run}z`
 * per horizontal run of dark modules, a fraction of the bytes one square per module would take.
 */
export function qrPath(matrix: QrMatrix, margin = QUIET_ZONE): string {
  let path = '';
  matrix.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      const run = x - start;
      path += `M${start + margin} ${y + margin}h${run}v1h-${run}z`;
    }
  });
  return path;
}

/**
 * The QR code as an `<svg>` template: a light square (the quiet zone and the light modules) and
 * one path of dark modules, in module units so it scales crisply to any size the CSS gives it.
 * Colours come from the styles (`.qr-light`, `.qr-dark`), which keep it dark on light in every
 * colour scheme, because phone cameras expect that.
 */
export function renderQrCode(matrix: QrMatrix, label: string): TemplateResult {
  const extent = matrix.length + 2 * QUIET_ZONE;
  // The `<svg>` element itself goes in an `html` template (Lit's `svg` tag is for its contents).
  const modules = svg`<rect class="qr-light" width=${extent} height=${extent}></rect><path class="qr-dark" d=${qrPath(matrix)}></path>`;
  return html`<svg
    part="qr"
    class="qr"
    role="img"
    aria-label=${label}
    viewBox="0 0 ${extent} ${extent}"
    shape-rendering="crispEdges"
    data-modules=${matrix.length}
  >${modules}</svg>`;
}
