/**
 * A chart figure as a PNG, drawn from what the page shows: the title, every plot (SVG or canvas)
 * and legend swatch where it sits, and the HTML labels marked data-png-text (legend entries,
 * tick labels of the decision regions). Serialising the plot's SVG alone would lose them.
 */
export async function figurePng(figure: HTMLElement, scale = 2): Promise<Uint8Array> {
  const box = figure.getBoundingClientRect();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(box.width * scale);
  canvas.height = Math.ceil(box.height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2-D canvas to draw the chart on');
  ctx.scale(scale, scale);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, box.width, box.height);
  const at = (el: Element) => {
    const r = el.getBoundingClientRect();
    return { x: r.left - box.left, y: r.top - box.top, w: r.width, h: r.height };
  };
  const font = getComputedStyle(figure).fontFamily;

  const caption = figure.querySelector('figcaption');
  if (caption) {
    const p = at(caption);
    const words = [...caption.childNodes].filter((n) => !(n instanceof HTMLButtonElement)).map((n) => n.textContent);
    ctx.fillStyle = '#1d2430';
    ctx.textBaseline = 'top';
    wrapText(ctx, words.join('').trim(), p.x, p.y + 2, Math.max(100, p.w - 8), `13px ${font}`, 17);
  }
  for (const el of figure.querySelectorAll<SVGSVGElement | HTMLCanvasElement>('svg, canvas')) {
    if (el.parentElement?.closest('svg')) continue;
    const p = at(el);
    if (p.w === 0 || p.h === 0) continue;
    const image = el instanceof HTMLCanvasElement ? el : await svgImage(el, font);
    ctx.drawImage(image, p.x, p.y, p.w, p.h);
  }
  for (const label of figure.querySelectorAll('[data-png-text]')) {
    const p = at(label);
    ctx.fillStyle = '#1d2430';
    ctx.font = `12px ${font}`;
    ctx.textBaseline = 'top';
    ctx.fillText(label.textContent ?? '', p.x, p.y, box.width - p.x);
  }
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the browser could not encode the chart as PNG');
  return new Uint8Array(await blob.arrayBuffer());
}

/** Text wrapped at word boundaries, as the page wraps the caption (the canvas would squeeze one line instead). */
function wrapText(
  ctx: CanvasRenderingContext2D,
  text: string,
  x: number,
  y: number,
  width: number,
  font: string,
  lineHeight: number,
): void {
  ctx.font = font;
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(next).width > width) {
      ctx.fillText(line, x, y);
      y += lineHeight;
      line = word;
    } else line = next;
  }
  if (line) ctx.fillText(line, x, y);
}

/** The SVG as a standalone image, with the page's font, so text keeps its size and face. */
async function svgImage(svg: SVGSVGElement, font: string): Promise<HTMLImageElement> {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const r = svg.getBoundingClientRect();
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(r.width));
  copy.setAttribute('height', String(r.height));
  // Presentation attributes, not a style attribute: the Content-Security-Policy refuses inline styles.
  copy.setAttribute('font-family', font);
  copy.setAttribute('font-size', '12px');
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(copy))}`;
  await img.decode();
  return img;
}

/** A file name from a chart's title. */
export function chartFileName(title: string): string {
  return `${title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')}.png`;
}

/** Every chart on the page that has something to show, as PNG files named after their titles. */
export async function pagePngs(root: ParentNode = document): Promise<Record<string, Uint8Array>> {
  const out: Record<string, Uint8Array> = {};
  for (const figure of root.querySelectorAll<HTMLElement>('figure[data-chart-title]')) {
    if (!figure.querySelector('svg, canvas')) continue;
    const base = chartFileName(figure.dataset.chartTitle ?? 'chart').replace(/\.png$/, '');
    let name = `${base}.png`;
    for (let i = 2; name in out; i++) name = `${base}-${i}.png`;
    out[name] = await figurePng(figure);
  }
  return out;
}
