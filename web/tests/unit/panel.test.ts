// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, type BuildingFeature } from '../../src/api/client';
import { setLang } from '../../src/i18n';
import { BuildingPanel, energyLabels } from '../../src/ui/panel';

const ID = '0221100000000039';

const building = (bouwjaar: number): BuildingFeature => ({
  type: 'Feature',
  id: ID,
  geometry: { type: 'Polygon', coordinates: [[[6.1, 52], [6.2, 52], [6.2, 52.1], [6.1, 52]]] },
  properties: {
    identificatie: ID,
    bouwjaar,
    status: 'Pand in gebruik',
    gebruiksdoel: 'woonfunctie,winkelfunctie',
    aantal_verblijfsobjecten: 2,
    buurtcode: 'BU02210001',
    buurtnaam: 'Binnenstad',
    wijkcode: 'WK022100',
    wijknaam: 'Wijk 00',
    gemeentecode: 'GM0221',
    gemeentenaam: 'Doesburg',
    b3_dak_type: null,
    b3_opp_dak_plat: null,
    b3_opp_dak_schuin: null,
    b3_h_maaiveld: null,
    b3_h_dak_70p: null,
    opp_dak_geschikt_zon: null,
    bouwjaar_klasse: 6,
    aantal_adressen: 1,
    adressen: [
      {
        identificatie: '0221010000000001',
        openbare_ruimte_naam: 'Koepoortstraat',
        huisnummer: 12,
        huisletter: 'A',
        toevoeging: '2',
        postcode: '6981AS',
        woonplaats_naam: 'Doesburg',
        status: 'Verblijfsobject in gebruik',
        gebruiksdoel: 'woonfunctie',
        oppervlakte: 84,
        energieklasse: null,
        energieindex: null,
        energielabel_registratiedatum: null,
      },
    ],
  },
});

const panels: BuildingPanel[] = [];

function setup(fetch: (id: string) => Promise<BuildingFeature>) {
  document.body.innerHTML = `
    <button id="opener"></button>
    <aside id="panel"><h2 id="title"></h2><button id="close"></button><div id="body"></div></aside>`;
  const onClose = vi.fn((opener: HTMLElement | null) => opener?.focus());
  const panel = new BuildingPanel(
    {
      root: document.getElementById('panel') as HTMLElement,
      title: document.getElementById('title') as HTMLElement,
      body: document.getElementById('body') as HTMLElement,
      closeButton: document.getElementById('close') as HTMLButtonElement,
    },
    { onClose, onShowOnMap: vi.fn(), fetch },
  );
  panels.push(panel);
  return { panel, onClose, opener: document.getElementById('opener') as HTMLButtonElement };
}

const text = () => document.getElementById('body')?.textContent ?? '';
/** The body's text outside the GIS fold: what a person reads without opening it. */
const visible = () => {
  const body = document.getElementById('body')?.cloneNode(true) as HTMLElement | undefined;
  body?.querySelector('[data-gis]')?.remove();
  return body?.textContent ?? '';
};

describe('energyLabels', () => {
  it('counts the classes best first and is empty without any', () => {
    expect(energyLabels(['C', null, 'A+++', 'C', 'G'])).toBe('A+++ (1), C (2), G (1)');
    expect(energyLabels([null, null])).toBe('');
  });
});

describe('BuildingPanel', () => {
  afterEach(() => {
    // Each panel listens for Escape on the document: close them so they do not answer the next test's.
    for (const panel of panels.splice(0)) panel.close();
    setLang('nl');
  });

  it('is titled by the address, says its facts in words and takes the focus', async () => {
    const { panel, opener } = setup(async () => building(1932));
    opener.focus();
    await panel.open(ID, opener);
    expect(document.getElementById('panel')?.hidden).toBe(false);
    expect(document.activeElement?.id).toBe('title');
    expect(document.getElementById('title')?.textContent).toBe('Koepoortstraat 12A-2');
    expect(visible()).toContain('1932');
    expect(visible()).toContain('1 woning');
    expect(visible()).toContain('in gebruik');
    expect(visible()).toContain('wonen en winkel');
    expect(visible()).toContain('Binnenstad');
    expect(visible()).toContain('84 m²');
    expect(visible()).not.toMatch(/verblijfsobject|woonfunctie|BU02210001|Pand in gebruik/);
    expect(visible()).not.toContain(ID);
    expect(document.querySelector('.address-label')?.textContent).toBe('Koepoortstraat 12A-2, 6981AS Doesburg');
  });

  it('keeps the ids and the register codes in a closed fold for GIS', async () => {
    const { panel } = setup(async () => building(2024));
    await panel.open(ID, null);
    const fold = document.querySelector<HTMLDetailsElement>('#body details[data-gis]');
    expect(fold?.open).toBe(false);
    expect(fold?.querySelector('.identificatie')?.textContent).toBe(ID);
    expect(fold?.textContent).toContain('BU02210001');
    expect(fold?.textContent).toContain('woonfunctie,winkelfunctie');
    expect(fold?.textContent).toContain('0221010000000001');
    expect(visible()).toContain('2024');
    expect(visible()).not.toContain('2.024');
  });

  it('shows bouwjaar 9999 as unknown, in the current language', async () => {
    const { panel } = setup(async () => building(9999));
    await panel.open(ID, null);
    expect(text()).toContain('onbekend');
    expect(text()).not.toContain('9999');
    setLang('en');
    expect(text()).toContain('unknown');
  });

  it('closes on Escape and gives the focus back to its opener', async () => {
    const { panel, onClose, opener } = setup(async () => building(2001));
    await panel.open(ID, opener);
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', cancelable: true }));
    expect(panel.isOpen).toBe(false);
    expect(document.getElementById('panel')?.hidden).toBe(true);
    expect(onClose).toHaveBeenCalledWith(opener, ID);
    expect(document.activeElement).toBe(opener);
  });

  it('says when the building does not exist', async () => {
    const { panel } = setup(async () => {
      throw new ApiError(404, 'NotFound', 'no such building', '/x');
    });
    await panel.open(ID, null);
    expect(visible()).toContain('Dit pand is niet gevonden.');
    expect(document.getElementById('title')?.textContent).not.toContain(ID);
  });

  it('shows 3DBAG roof facts and energy labels only when the building has them', async () => {
    const bare = setup(async () => building(1932));
    await bare.panel.open(ID, bare.opener);
    expect(text()).not.toContain('3DBAG');
    expect(text()).not.toContain('EP-Online');
    bare.panel.close();

    const enriched = building(1932);
    Object.assign(enriched.properties, {
      b3_dak_type: 'slanted',
      b3_opp_dak_plat: 51.38,
      b3_opp_dak_schuin: 63.5,
      opp_dak_geschikt_zon: 59.38,
    });
    for (const a of enriched.properties.adressen) a.energieklasse = 'C';
    const { panel, opener } = setup(async () => enriched);
    await panel.open(ID, opener);
    expect(text()).toContain('schuin dak; 51 m² plat, 64 m² schuin');
    expect(text()).not.toContain('slanted');
    expect(text()).toContain('dak geschikt voor zonnepanelen59 m²');
    expect(text()).toContain('energielabels (EP-Online)C (1)');
  });
});
