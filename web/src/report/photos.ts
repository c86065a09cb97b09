// Photos with a report: optional, at most three, JPEG or PNG of at most 10 MB, taken with the
// camera on a phone (`capture="environment"`). They are sent one by one, as raw bytes, after the
// report exists (POST /api/observations/{id}/photos); the server re-encodes them without EXIF.

import { ApiError } from '../api/http';
import { t } from '../i18n';
import { h } from '../ui/element';
import { errorMessage, type Message } from '../ui/errorMessage';

export const MAX_PHOTOS = 3;
/** The server's limit (server/src/photos.rs `MAX_UPLOAD_BYTES`). */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const PHOTO_TYPES = ['image/jpeg', 'image/png'] as const;

/** Why a chosen file cannot be sent, before sending it; null when it can. */
export function photoProblem(file: Pick<File, 'size' | 'type'>): Message | null {
  if (!(PHOTO_TYPES as readonly string[]).includes(file.type)) return { key: 'report.photoWrongType' };
  if (file.size > MAX_PHOTO_BYTES) return { key: 'report.photoTooLarge' };
  return null;
}

/** What to say when the server refused a photo: 413, 415 and the rest in Dutch (or English). */
export function photoErrorMessage(error: unknown): Message {
  if (error instanceof ApiError) {
    if (error.status === 413) return { key: 'report.photoTooLarge' };
    if (error.status === 415) return { key: 'report.photoWrongType' };
    if (error.status === 422 && error.fieldErrors.some((e) => e.field === '/photos')) {
      return { key: 'report.photoTooMany', params: { max: MAX_PHOTOS } };
    }
    if (error.status === 422) return { key: 'report.photoUnreadable' };
    if (error.status === 503) return { key: 'report.photoBusy' };
  }
  return errorMessage(error);
}

/** Times a photo is sent while the server answers 503 (all its photo decoders busy). */
export const BUSY_ATTEMPTS = 3;

/**
 * Sends a photo with `upload`; while the server answers 503 `Busy` (every photo decoder is working
 * on other uploads), waits its `Retry-After` and sends it again, {@link BUSY_ATTEMPTS} times in all.
 */
export async function uploadWhenFree<T>(
  upload: () => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await upload();
    } catch (error) {
      const busy = error instanceof ApiError && error.status === 503;
      if (!busy || attempt >= BUSY_ATTEMPTS) throw error;
      await sleep(Math.max(1, error.retryAfterSeconds ?? 1) * 1000);
    }
  }
}

/** The photo field of the report form: a file input, the chosen photos, and their problems. */
export class PhotoPicker {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private readonly message: HTMLElement;
  private readonly label: HTMLElement;
  private photos: { file: File; url: string }[] = [];
  private problem: Message | null = null;

  constructor(idPrefix = 'report') {
    const id = `${idPrefix}-photo`;
    this.input = h('input', {
      className: 'photo-input',
      attrs: { type: 'file', id, accept: PHOTO_TYPES.join(','), capture: 'environment', multiple: '' },
    });
    this.label = h('span');
    this.list = h('ul', { className: 'photo-list' });
    this.message = h('p', { className: 'field-error', attrs: { id: `${id}-error`, 'aria-live': 'polite' } });
    this.message.hidden = true;
    this.input.setAttribute('aria-describedby', this.message.id);
    this.element = h(
      'div',
      { className: 'question question-photos' },
      h('label', { attrs: { for: id } }, this.label),
      this.input,
      this.list,
      this.message,
    );
    this.input.addEventListener('change', () => this.add([...(this.input.files ?? [])]));
    this.render();
  }

  /** The photos to send. */
  files(): File[] {
    return this.photos.map((p) => p.file);
  }

  /** Adds chosen files: those that cannot be sent, and those over the limit, are refused with a message. */
  add(files: readonly File[]): void {
    this.problem = null;
    for (const file of files) {
      const problem = photoProblem(file);
      if (problem) {
        this.problem = problem;
        continue;
      }
      if (this.photos.length >= MAX_PHOTOS) {
        this.problem = { key: 'report.photoTooMany', params: { max: MAX_PHOTOS } };
        break;
      }
      this.photos.push({ file, url: URL.createObjectURL(file) });
    }
    // The same file may be chosen again after removing it.
    this.input.value = '';
    this.render();
  }

  /** Lets go of the previews. */
  dispose(): void {
    for (const p of this.photos) URL.revokeObjectURL(p.url);
    this.photos = [];
  }

  /** Puts the words in the current language again. */
  render(): void {
    this.label.textContent = t('report.photos', { max: MAX_PHOTOS });
    this.input.hidden = false;
    this.input.disabled = this.photos.length >= MAX_PHOTOS;
    this.list.replaceChildren(
      ...this.photos.map((photo, i) => {
        const remove = h('button', {
          className: 'button-secondary photo-remove',
          text: '×',
          attrs: { type: 'button', 'aria-label': t('report.photoRemove', { n: i + 1 }) },
        });
        remove.addEventListener('click', () => {
          URL.revokeObjectURL(photo.url);
          this.photos.splice(i, 1);
          this.problem = null;
          this.render();
          this.input.focus();
        });
        return h('li', { className: 'photo' }, h('img', { attrs: { src: photo.url, alt: '' } }), h('span', { text: photo.file.name }), remove);
      }),
    );
    this.message.hidden = this.problem === null;
    this.message.textContent = this.problem ? t(this.problem.key, this.problem.params ? { ...this.problem.params } : {}) : '';
  }
}
