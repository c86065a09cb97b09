// The form step of the report sheet: the type's questions (schemaForm.ts), the photos
// (photos.ts), who will see the report (privacy.ts), and sending: client-side checks, the create
// with its Idempotency-Key and retries (submission.ts), the server's 422 next to the fields, then
// the photos one by one. A session that ended meanwhile (401) gets a link to sign in again that
// keeps the answers (the sheet saves them as a draft, draft.ts).

import { ApiError, type JsonObject } from '../api/http';
import type { Confirmation, CreateOutcome, Observation, ReportsApi, ReportTarget } from '../api/reports';
import { t } from '../i18n';
import { h } from '../ui/element';
import type { Message } from '../ui/errorMessage';
import { whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { typeText } from './labels';
import { privacySentences } from './privacy';
import { PhotoPicker, photoErrorMessage, uploadWhenFree } from './photos';
import { SchemaForm, serverProblems, validateAnswers } from './schemaForm';
import { IdempotentSubmission, isTransient } from './submission';
import type { Choice } from './targets';

export type FormOutcome =
  | {
      readonly kind: 'created';
      readonly observation: Observation;
      /** Photos the server did not take, with why. */
      readonly photoProblems: readonly Message[];
    }
  | {
      /** The server counted the report as a confirmation of an open one that says the same. */
      readonly kind: 'confirmed';
      readonly confirmation: Confirmation;
      /** Photos were chosen but not kept (they would go with someone else's report). */
      readonly photosDropped: boolean;
    };

export interface ReportFormOptions {
  readonly api: Pick<ReportsApi, 'create' | 'addPhoto'>;
  readonly onDone: (outcome: FormOutcome) => void;
  readonly onBack: () => void;
  /** The session ended meanwhile (401). */
  readonly onSignedOut: () => void;
  /** A link to sign in again that keeps what the form holds (its answers, read when followed). */
  readonly signInLink?: (answers: () => JsonObject) => HTMLAnchorElement;
  /** Answers to start with (a draft kept while its writer signed in). */
  readonly answers?: JsonObject;
  readonly submission?: IdempotentSubmission;
}

/**
 * The target to send: a spot becomes a tree when the answers name a tree from the register and
 * the type reports about trees.
 */
export function targetFor(choice: Choice, answers: JsonObject): ReportTarget {
  const treeId = answers['tree_id'];
  if ('point' in choice.target && typeof treeId === 'string' && treeId !== '' && choice.type.targets.includes('tree')) {
    return { tree: treeId, point: choice.target.point };
  }
  return choice.target;
}

export class ReportForm {
  readonly element: HTMLFormElement;
  readonly heading: HTMLElement;
  private readonly questions: SchemaForm;
  private readonly photos = new PhotoPicker();
  private readonly notice: Notice;
  private readonly submission: IdempotentSubmission;
  private readonly texts: [HTMLElement, () => string][] = [];

  constructor(
    private readonly choice: Choice,
    private readonly options: ReportFormOptions,
  ) {
    this.submission = options.submission ?? new IdempotentSubmission();
    this.questions = new SchemaForm(choice.type);
    this.heading = this.text('h3', () => typeText(choice.type.title));
    this.heading.tabIndex = -1;
    const question = this.text('p', () => typeText(choice.type.question), 'report-question');
    const address = choice.address ? h('p', { className: 'report-address', text: choice.address.label }) : null;
    // Who will see it, as the server's policy says (nothing when the server does not say).
    const privacy = privacySentences(choice.type)
      ? h(
          'section',
          { className: 'privacy-note', attrs: { 'aria-labelledby': 'report-privacy-title' } },
          this.text('h4', () => t('privacy.title'), 'privacy-title'),
          this.text('p', () => (privacySentences(choice.type) ?? []).join(' ')),
        )
      : null;
    privacy?.querySelector('h4')?.setAttribute('id', 'report-privacy-title');
    const noticeEl = h('p', { className: 'report-notice' });
    this.notice = new Notice(noticeEl);
    const submit = h('button', { className: 'button-primary', i18n: 'report.submit', attrs: { type: 'submit' } });
    const back = h('button', { className: 'button-secondary', i18n: 'report.back', attrs: { type: 'button' } });
    back.addEventListener('click', () => {
      this.dispose();
      options.onBack();
    });
    this.element = h(
      'form',
      { className: 'report-form', attrs: { novalidate: '', 'data-type': choice.type.name } },
      this.heading,
      question,
      address,
      this.questions.element,
      this.photos.element,
      privacy,
      noticeEl,
      h('div', { className: 'form-actions' }, submit, back),
    );
    if (options.answers) this.questions.fill(options.answers);
    this.element.addEventListener('submit', (e) => {
      e.preventDefault();
      void whileBusy(this.element, () => this.send());
    });
  }

  /** Puts the words from the server and the schema in the current language again. */
  relabel(): void {
    for (const [el, text] of this.texts) el.textContent = text();
    this.questions.relabel();
    this.photos.render();
  }

  /** The answers given so far. */
  answers(): JsonObject {
    return this.questions.answers();
  }

  /** Lets go of the photo previews and ends the submission. */
  dispose(): void {
    this.photos.dispose();
    this.submission.reset();
  }

  private text<K extends keyof HTMLElementTagNameMap>(tag: K, text: () => string, className?: string): HTMLElementTagNameMap[K] {
    const el = h(tag, className ? { className, text: text() } : { text: text() });
    this.texts.push([el, text]);
    return el;
  }

  private async send(): Promise<void> {
    const answers = this.questions.answers();
    const problems = validateAnswers(this.questions.specs, answers);
    this.questions.showProblems(problems);
    if (problems.length > 0) {
      this.notice.show('error', { key: 'report.formInvalid' });
      return;
    }
    this.notice.show('info', { key: 'report.sending' });
    const body = { type: this.choice.type.name, target: targetFor(this.choice, answers), answers };
    let created: CreateOutcome;
    try {
      created = await this.submission.submit(
        (key) => this.options.api.create(body, key),
        (attempt) => this.notice.show('info', { key: 'report.retrying', params: { attempt } }),
      );
    } catch (error) {
      this.refused(error);
      return;
    }
    if (created.outcome === 'confirmed') {
      const photosDropped = this.photos.files().length > 0;
      this.notice.clear();
      this.photos.dispose();
      this.options.onDone({ kind: 'confirmed', confirmation: { id: created.id, confirmations: created.confirmations }, photosDropped });
      return;
    }
    const observation: Observation = created;
    const photoProblems: Message[] = [];
    for (const [i, file] of this.photos.files().entries()) {
      try {
        await uploadWhenFree(() => this.options.api.addPhoto(observation.id, file));
      } catch (error) {
        const reason = photoErrorMessage(error);
        const message = t(reason.key, reason.params ? { ...reason.params } : {});
        photoProblems.push({ key: 'report.photoFailed', params: { n: i + 1, message } });
      }
    }
    this.notice.clear();
    this.photos.dispose();
    this.options.onDone({ kind: 'created', observation, photoProblems });
  }

  private refused(error: unknown): void {
    if (isTransient(error)) {
      this.notice.show('error', { key: 'report.offline' });
      return;
    }
    if (error instanceof ApiError && error.status === 422 && error.fieldErrors.length > 0) {
      const { fields, form } = serverProblems(this.questions.specs, error.fieldErrors);
      this.questions.showProblems(fields);
      this.notice.show(
        'error',
        form.length > 0 ? { key: 'report.formServer', params: { message: form.join('; ') } } : { key: 'report.formInvalid' },
      );
      return;
    }
    if (error instanceof ApiError && error.status === 401) {
      const link = this.options.signInLink?.(() => this.answers());
      if (link) this.notice.show('error', { key: 'error.notSignedIn' }, link);
      else this.notice.error(error);
      this.options.onSignedOut();
      return;
    }
    if (error instanceof ApiError && error.status === 403 && this.choice.type.own_home_only) {
      this.notice.show('error', { key: 'report.forbiddenOwnHome' });
      return;
    }
    this.notice.error(error);
  }
}
