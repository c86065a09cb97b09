// Camera padding for the panels that lie over the map, so that a building flown to lands in the
// part of the map that is still visible: beside a side panel, above a bottom sheet.

/** MapLibre's padding shape. */
export interface Padding {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

type Rect = Pick<DOMRect, 'top' | 'right' | 'bottom' | 'left' | 'width' | 'height'>;

/**
 * The padding that keeps clear of `panels` (rects of the visible ones) over a map at `map`, plus
 * `margin` on every side. A panel as wide as the map is a bottom sheet; others sit at a side.
 * Padding never takes more than 60% of the map, so something always stays in view.
 */
export function panelPadding(map: Rect, panels: readonly Rect[], margin = 40): Padding {
  const p: Padding = { top: margin, right: margin, bottom: margin, left: margin };
  for (const r of panels) {
    if (r.width === 0 || r.height === 0) continue;
    if (r.width >= map.width * 0.9) {
      p.bottom = Math.max(p.bottom, map.bottom - r.top + margin);
    } else if (r.left + r.width / 2 > map.left + map.width / 2) {
      p.right = Math.max(p.right, map.right - r.left + margin);
    } else {
      p.left = Math.max(p.left, r.right - map.left + margin);
    }
  }
  const maxX = map.width * 0.6;
  const maxY = map.height * 0.6;
  if (p.left + p.right > maxX) {
    const scale = maxX / (p.left + p.right);
    p.left = Math.round(p.left * scale);
    p.right = Math.round(p.right * scale);
  }
  if (p.top + p.bottom > maxY) {
    const scale = maxY / (p.top + p.bottom);
    p.top = Math.round(p.top * scale);
    p.bottom = Math.round(p.bottom * scale);
  }
  return p;
}
