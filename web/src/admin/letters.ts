// Letters with new address codes for an area (POST /api/letters {area, format}), downloaded as
// the CSV or PDF the server makes. For wijkondernemers in their scope and admins; audited.

import { admin, type LetterFormat } from '../api/admin';
import { byId, h } from '../ui/element';
import { setInvalid, whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { isLetterArea, normaliseScope } from './scope';

/** The file name for letters without a Content-Disposition name. */
export function lettersFilename(area: string, format: LetterFormat): string {
  return `brieven-${area.replace(/[^A-Za-z0-9_-]+/g, '-')}.${format}`;
}

/** Saves a blob as a file through a temporary link (blob: URLs are allowed by the CSP). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = h('a', { attrs: { href: url, download: filename } });
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the download time to start before the URL goes.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function mountLetters(): void {
  const section = byId('letters-section');
  const form = byId<HTMLFormElement>('letters-form');
  const area = byId<HTMLInputElement>('letters-area');
  const notice = new Notice(byId('letters-notice'));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const value = normaliseScope(area.value);
    const ok = isLetterArea(value);
    setInvalid(area, !ok);
    if (!ok) {
      notice.show('error', { key: value === '' ? 'form.required' : 'admin.letterAreaInvalid' });
      area.focus();
      return;
    }
    const format: LetterFormat = byId<HTMLInputElement>('letters-pdf').checked ? 'pdf' : 'csv';
    void whileBusy(form, async () => {
      notice.show('info', { key: 'form.busy' });
      try {
        const file = await admin.letters(value, format);
        const filename = file.filename ?? lettersFilename(value, format);
        saveBlob(file.blob, filename);
        notice.show('success', { key: 'admin.lettersDone', params: { file: filename } });
      } catch (error) {
        notice.error(error);
      }
    });
  });
  section.hidden = false;
}
