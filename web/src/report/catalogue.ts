// The observation types (GET /api/observation-types), asked once per page and shared by the
// report sheet, "Mijn meldingen", the timeline and the map's report points.

import type { ObservationType, ReportsApi } from '../api/reports';
import { typeText, readable } from './labels';

export class TypeCatalogue {
  private pending: Promise<ObservationType[]> | undefined;
  private byName = new Map<string, ObservationType>();

  constructor(private readonly api: Pick<ReportsApi, 'types'>) {}

  /** Every current type; a failure is not remembered, so the next call asks again. */
  all(): Promise<ObservationType[]> {
    this.pending ??= this.api.types().then(
      (types) => {
        this.byName = new Map(types.map((type) => [type.name, type]));
        return types;
      },
      (error: unknown) => {
        this.pending = undefined;
        throw error;
      },
    );
    return this.pending;
  }

  /** A type already loaded. */
  get(name: string): ObservationType | undefined {
    return this.byName.get(name);
  }

  /** A type's title in the current language; the name when the types are not in yet. */
  title(name: string): string {
    const type = this.byName.get(name);
    return type ? typeText(type.title) : readable(name);
  }
}
