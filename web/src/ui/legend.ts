// The legend: one row per entry the layer modules give (map/layers/*.ts), plus the selection.
// Swatches carry `data-colour` so the browser test can check them against the style.

import { onLangChange, t } from '../i18n';
import type { LegendEntry, TileLayerModule } from '../map/layer';
import { SELECTED_COLOUR } from '../map/selection';

function selectionEntry(): LegendEntry {
  return {
    title: 'legend.selected',
    shape: 'line',
    swatches: [{ id: 'selected', colour: SELECTED_COLOUR, label: t('legend.selected') }],
  };
}

function renderEntry(entry: LegendEntry): HTMLElement {
  const section = document.createElement('section');
  section.className = 'legend-entry';
  const heading = document.createElement('h3');
  heading.textContent = t(entry.title);
  const list = document.createElement('ul');
  list.className = `legend-swatches legend-${entry.shape}`;
  for (const s of entry.swatches) {
    const li = document.createElement('li');
    li.dataset['legend'] = s.id;
    const swatch = document.createElement('span');
    swatch.className = `swatch swatch-${entry.shape}`;
    swatch.dataset['colour'] = s.colour;
    swatch.setAttribute('aria-hidden', 'true');
    swatch.style.setProperty('--swatch', s.colour);
    if (s.stroke) swatch.style.setProperty('--swatch-stroke', s.stroke);
    if (s.dashed) swatch.classList.add('swatch-dashed');
    const label = document.createElement('span');
    label.textContent = s.label;
    li.append(swatch, label);
    list.append(li);
  }
  // A single swatch labelled like its heading needs no heading.
  const redundant = entry.swatches.length === 1 && entry.swatches[0]?.label === heading.textContent;
  if (redundant) section.append(list);
  else section.append(heading, list);
  return section;
}

/** Renders the legend into `container` and keeps it in the current language; returns a re-render. */
export function mountLegend(container: HTMLElement, layers: readonly TileLayerModule[]): () => void {
  const render = () =>
    container.replaceChildren(...[...layers.flatMap((l) => l.legend()), selectionEntry()].map(renderEntry));
  render();
  onLangChange(render);
  // Renders again: a layer's rows may depend on the map (a layer only some callers' tiles carry).
  return render;
}
