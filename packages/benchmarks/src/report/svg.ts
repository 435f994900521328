// A horizontal bar chart as plain SVG: one bar per row (its median) with a min–max whisker.
import type { Summary } from '../stats.js'

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
const BAR = 22
const LABEL = 330
const WIDTH = 820

export function barChart (title: string, unit: string, rows: Summary[]): string {
  const measured = rows.filter(row => row.skipped == null && Number.isFinite(row.median))
  const top = Math.max(...measured.map(row => row.max), 1e-9)
  const scale = (value: number): number => (WIDTH - LABEL - 90) * value / top
  const height = 40 + measured.length * (BAR + 8)
  const bars = measured.map((row, i) => {
    const y = 32 + i * (BAR + 8)
    const fill = row.row.reference === true ? '#9aa5b1' : '#2b6cb0'
    return [
      `<text x="${LABEL - 8}" y="${y + 15}" text-anchor="end">${escape(row.row.label)}</text>`,
      `<rect x="${LABEL}" y="${y}" width="${scale(row.median).toFixed(1)}" height="${BAR}" fill="${fill}"/>`,
      `<line x1="${(LABEL + scale(row.min)).toFixed(1)}" x2="${(LABEL + scale(row.max)).toFixed(1)}" y1="${y + BAR / 2}" y2="${y + BAR / 2}" stroke="#1a202c"/>`,
      `<text x="${(LABEL + scale(row.max) + 6).toFixed(1)}" y="${y + 15}">${formatValue(row.median)}</text>`
    ].join('')
  })
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="12">` +
    `<rect width="100%" height="100%" fill="#fff"/><text x="10" y="18" font-weight="bold">${escape(`${title} (${unit}, median; line: min–max)`)}</text>` +
    bars.join('\n') + '</svg>\n'
}

export function formatValue (value: number): string {
  if (!Number.isFinite(value)) return '–'
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)
}
