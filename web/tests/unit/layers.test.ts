import { describe, expect, it } from 'vitest';
import { addressBuildingId, addressesLayer } from '../../src/map/layers/addresses';
import { areaDescription, areasLayer } from '../../src/map/layers/areas';
import { buildingIdOf, buildingsLayer, padBagId } from '../../src/map/layers/buildings';
import { treeDescription, treesLayer } from '../../src/map/layers/trees';

describe('BAG ids from tiles', () => {
  it('pads the integer feature id to 16 digits', () => {
    expect(padBagId(221100000000039)).toBe('0221100000000039');
    expect(padBagId('221100000000039')).toBe('0221100000000039');
    expect(padBagId('0363100012345678')).toBe('0363100012345678');
  });

  it('rejects what is not a BAG id', () => {
    for (const value of [0, -1, 1.5, 2 ** 60, '12345678901234567', 'abc', null, undefined, {}]) {
      expect(padBagId(value), String(value)).toBeNull();
    }
  });

  it('prefers the identificatie property over the feature id', () => {
    expect(buildingIdOf({ id: 1, properties: { identificatie: '0363100012345678' } })).toBe('0363100012345678');
    expect(buildingIdOf({ id: 363100012345678, properties: {} })).toBe('0363100012345678');
    expect(buildingIdOf({ properties: { kind: 'block' } })).toBeNull();
  });
});

describe('addresses', () => {
  it('open the first building they lie in', () => {
    expect(addressBuildingId({ pand_identificatie: '0221100000000001,0221100000000002' })).toBe('0221100000000001');
    expect(addressBuildingId({ pand_identificatie: '0221100000000003' })).toBe('0221100000000003');
    expect(addressBuildingId({ pand_identificatie: null })).toBeNull();
    expect(addressBuildingId({})).toBeNull();
  });
});

describe('layer modules', () => {
  it('use the style layer ids of the contract', () => {
    expect([...buildingsLayer.styleLayerIds].sort()).toEqual(['buildings-blocks', 'buildings-fill', 'buildings-outline']);
    expect([...areasLayer.styleLayerIds].sort()).toEqual(['areas-fill', 'areas-label', 'areas-outline']);
    expect([...addressesLayer.styleLayerIds]).toEqual(['addresses-point']);
    expect([...treesLayer.styleLayerIds]).toEqual(['trees-point']);
  });

  it('mirror the tile layers', () => {
    expect([buildingsLayer, areasLayer, addressesLayer, treesLayer].map((l) => l.sourceLayer)).toEqual([
      'buildings',
      'areas',
      'addresses',
      'trees',
    ]);
  });

  it('only click on layers they draw', () => {
    for (const layer of [buildingsLayer, areasLayer, addressesLayer, treesLayer]) {
      for (const id of layer.clickableLayerIds) expect(layer.styleLayerIds).toContain(id);
    }
  });

  it('describe an area for its popup', () => {
    expect(areaDescription({ kind: 'buurt', naam: 'Binnenstad', code: 'BU02210001' })).toBe('Buurt Binnenstad');
    expect(areaDescription({ kind: 'buurt' })).toBeNull();
  });

  it('describe a tree for its popup', () => {
    expect(treeDescription({ id: '1080', species: 'Carpinus betulus', planting_year: 1954 })).toBe(
      'Boom 1080: Carpinus betulus, geplant in 1954',
    );
    expect(treeDescription({ id: '7' })).toBe('Boom 7');
    expect(treeDescription({ species: 'Tilia' })).toBeNull();
  });
});
