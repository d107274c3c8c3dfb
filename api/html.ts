import type { Request } from 'express';
import QRCode from 'qrcode';

/** Small server-rendered pages meant for printing (公开栏): no scripts, no external assets. */

export type Printable = string | number | null | undefined;

export function escapeHtml(value: Printable): string {
  const text = value === undefined || value === null ? '' : String(value);
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface Column<T> {
  head: string;
  cell: (row: T) => Printable;
  numeric?: boolean;
}

export function table<T>(rows: T[], columns: Column<T>[], empty = '无 / None'): string {
  if (rows.length === 0) return `<p class="empty">${escapeHtml(empty)}</p>`;
  const head = columns.map((c) => `<th${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.head)}</th>`).join('');
  const body = rows
    .map(
      (row) =>
        `<tr>${columns.map((c) => `<td${c.numeric ? ' class="num"' : ''}>${escapeHtml(c.cell(row))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/**
 * A QR code (the qrcode library encodes; its modules are drawn here as one SVG path, inline, so the
 * page stays one file that prints anywhere) with the address written under it for those without a camera.
 */
export function qrFigure(url: string, caption: string): string {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const size = modules.size + quiet * 2;
  let path = '';
  for (let row = 0; row < modules.size; row += 1)
    for (let col = 0; col < modules.size; col += 1)
      if (modules.get(row, col)) path += `M${col + quiet} ${row + quiet}h1v1h-1z`;
  return `<figure class="qr"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="120" height="120" role="img" aria-label="${escapeHtml(caption)}" shape-rendering="crispEdges"><rect width="${size}" height="${size}" fill="#fff"/><path d="${path}" fill="#000"/></svg><figcaption>${escapeHtml(caption)}<br><span class="url">${escapeHtml(url)}</span></figcaption></figure>`;
}

/** The address the pages are served from, as the request reached us (for links printed on paper). */
export function siteOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

export function printablePage(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2em auto; max-width: 60em; color: #111; }
  h1 { font-size: 1.6em; text-align: center; } h2 { font-size: 1.2em; border-bottom: 1px solid #999; margin-top: 1.6em; }
  table { border-collapse: collapse; width: 100%; font-size: 0.95em; } th, td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
  th { background: #eee; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .meta { color: #444; text-align: center; } .empty { color: #666; }
  .qr { float: right; margin: 0 0 1em 1em; text-align: center; font-size: 0.8em; max-width: 12em; } .qr .url { word-break: break-all; color: #444; }
  @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
</style>
</head>
<body>
${body}
</body>
</html>
`;
}

export function yuan(amount: number): string {
  return amount.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
