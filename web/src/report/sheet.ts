// The "Melden" sheet: a bottom sheet on a phone, a side panel on a wide screen. Its steps:
//
//   choose   the types that fit the target (targets.ts); for a spot, "use the map centre"
//   auth     no session yet: "Anoniem melden op dit apparaat" (a device session) or sign in
//   similar  a street-visible type about a building, or a public-space spot within 10 m, that was
//            reported already: confirm it (POST …/confirmations) instead of a duplicate, or
//            report anyway
//   form     the questions and photos (reportForm.ts)
//   result   the report is in but some photos were refused: say which and why
//
// Opening moves the focus to the sheet's heading, every step to its own heading; Escape or the
// close button closes it and gives the focus back to what opened it.
//
// Signing in from the sheet ("Aanmelden" in the auth step, or again after the session ended while
// writing) keeps the report as a draft (draft.ts) and comes back to it: the map restores it with
// `restore` once the browser is back from the sign-in page.

import { ApiError, type JsonObject } from '../api/http';
import type { Confirmation, Observation, ReportsApi, SimilarReport } from '../api/reports';
import { onLangChange, t, type MessageKey } from '../i18n';
import { buildingName } from '../ui/buildingName';
import { h } from '../ui/element';
import type { Message } from '../ui/errorMessage';
import { Notice } from '../ui/notice';
import { signInUrl } from '../ui/returnTo';
import { plural } from '../ui/words';
import type { TypeCatalogue } from './catalogue';
import { returnPath, saveDraft, type ReportDraft } from './draft';
import { formatDate, statusClassLabel, typeText } from './labels';
import { ReportForm, type FormOutcome } from './reportForm';
import type { SessionState } from './session';
import { choicesFor, similarPlace, type Choice, type Target } from './targets';

export interface SheetElements {
  readonly root: HTMLElement;
  readonly title: HTMLElement;
  readonly target: HTMLElement;
  readonly body: HTMLElement;
  readonly closeButton: HTMLButtonElement;
}

export interface SheetOptions {
  readonly api: Pick<ReportsApi, 'similar' | 'create' | 'addPhoto' | 'confirm' | 'mine'>;
  readonly types: TypeCatalogue;
  readonly sessions: SessionState;
  readonly onReported: (observation: Observation, photoProblems: readonly Message[]) => void;
  /** A confirmation is saved: by the confirm button, or a report the server counted as one. */
  readonly onConfirmed: (confirmation: Confirmation, photosDropped?: boolean) => void;
  readonly onShowMine: (opener: HTMLElement) => void;
  /** The map centre as a spot, for the keyboard path. */
  readonly centreSpot: () => Target;
  /** The target changed (a spot marker follows it); null when the sheet closed. */
  readonly onTarget: (target: Target | null) => void;
  readonly onClose: (opener: HTMLElement | null) => void;
}

type Step =
  | { kind: 'choose' }
  | { kind: 'auth'; choice: Choice }
  | { kind: 'checking'; choice: Choice }
  | { kind: 'similar'; choice: Choice; existing: SimilarReport; mine: boolean }
  | { kind: 'form'; form: ReportForm }
  | { kind: 'result'; observation: Observation; problems: readonly Message[] };

/** A step's heading (which takes the focus) and what follows it. */
interface StepView {
  readonly heading: HTMLElement;
  readonly nodes: readonly Node[];
}

export class ReportSheet {
  private target: Target | null = null;
  private step: Step = { kind: 'choose' };
  private opener: HTMLElement | null = null;
  private readonly notice: Notice;
  private readonly noticeEl: HTMLElement;

  constructor(
    private readonly el: SheetElements,
    private readonly options: SheetOptions,
  ) {
    el.root.hidden = true;
    el.title.tabIndex = -1;
    this.noticeEl = h('p', { className: 'report-notice' });
    this.notice = new Notice(this.noticeEl);
    el.closeButton.addEventListener('click', () => this.close());
    // On the sheet itself, so that it closes before the details panel beneath hears the key.
    el.root.addEventListener('keydown', (e) => {
      if ((e.key === 'Escape' || e.key === 'Esc') && !e.defaultPrevented) {
        e.preventDefault();
        this.close();
      }
    });
    onLangChange(() => {
      if (!this.isOpen) return;
      if (this.step.kind === 'form') this.step.form.relabel();
      else this.render(false);
      this.renderTarget();
    });
  }

  get isOpen(): boolean {
    return !this.el.root.hidden;
  }

  /** The target shown, or null when closed. */
  get current(): Target | null {
    return this.isOpen ? this.target : null;
  }

  /** Opens the sheet for `target` at its first step. */
  open(target: Target, opener: HTMLElement | null): void {
    if (!this.isOpen) this.opener = opener;
    this.leaveForm();
    this.target = target;
    this.step = { kind: 'choose' };
    this.el.root.hidden = false;
    this.renderTarget();
    this.render(false);
    this.options.onTarget(target);
    this.el.title.focus();
  }

  /** Moves a spot (a tap on the map while the sheet is open for a spot); keeps the step. */
  moveSpot(target: Target & { kind: 'spot' }): void {
    if (this.target?.kind !== 'spot') return;
    this.target = target;
    if (this.step.kind === 'form') {
      this.step = { kind: 'choose' };
      this.render(true);
    }
    this.renderTarget();
    this.options.onTarget(target);
  }

  close(): void {
    if (!this.isOpen) return;
    this.leaveForm();
    this.el.root.hidden = true;
    this.el.body.replaceChildren();
    this.target = null;
    this.options.onTarget(null);
    const opener = this.opener;
    this.opener = null;
    this.options.onClose(opener);
  }

  private leaveForm(): void {
    if (this.step.kind === 'form') this.step.form.dispose();
    this.notice.clear();
  }

  private go(step: Step): void {
    this.leaveForm();
    this.step = step;
    this.render(true);
  }

  private renderTarget(): void {
    const target = this.target;
    if (!target) return;
    if (target.kind === 'building') {
      this.el.target.textContent = buildingName(target.names ?? []);
    } else {
      this.el.target.textContent = target.area
        ? t('report.targetSpotIn', { area: target.area })
        : t('report.targetSpot', { lon: target.lonlat[0].toFixed(5), lat: target.lonlat[1].toFixed(5) });
    }
  }

  /** Renders the step; `focus` moves the focus to the step's heading. */
  private render(focus: boolean): void {
    const s = this.step;
    let view: StepView;
    switch (s.kind) {
      case 'choose':
        view = this.chooseStep();
        break;
      case 'auth':
        view = this.authStep(s.choice);
        break;
      case 'checking':
        view = { heading: h('p', { className: 'panel-message', i18n: 'report.checking' }), nodes: [] };
        break;
      case 'similar':
        view = this.similarStep(s);
        break;
      case 'form':
        // The form is the whole view; its heading is inside it.
        view = { heading: s.form.heading, nodes: [] };
        break;
      case 'result':
        view = this.resultStep(s.problems);
        break;
    }
    const first = s.kind === 'form' ? s.form.element : view.heading;
    this.el.body.replaceChildren(first, ...view.nodes, this.noticeEl);
    view.heading.tabIndex = -1;
    if (focus) view.heading.focus();
  }

  private chooseStep(): StepView {
    const heading = h('h3', { i18n: 'report.chooseType' });
    const list = h('ul', { className: 'type-choices', attrs: { 'aria-busy': 'true' } }, h('li', { className: 'panel-message', i18n: 'form.loading' }));
    const target = this.target;
    const nodes: HTMLElement[] = [];
    if (target?.kind === 'spot') {
      const centre = h('button', { className: 'button-secondary', i18n: 'report.useCentre', attrs: { type: 'button' } });
      centre.addEventListener('click', () => {
        const spot = this.options.centreSpot();
        if (spot.kind === 'spot') this.moveSpot(spot);
      });
      nodes.push(h('p', { className: 'hint', i18n: 'report.spotHint' }), centre);
    }
    nodes.push(list);
    if (this.options.sessions.canReport) {
      const mine = h('button', { className: 'button-link', i18n: 'report.toMine', attrs: { type: 'button' } });
      mine.addEventListener('click', () => this.options.onShowMine(mine));
      nodes.push(mine);
    }
    void this.options.types.all().then(
      (types) => {
        if (!target || target !== this.target || this.step.kind !== 'choose') return;
        const choices = choicesFor(target, types, this.options.sessions.verifiedAddresses);
        list.removeAttribute('aria-busy');
        if (choices.length === 0) {
          list.replaceChildren(h('li', { className: 'panel-message', i18n: 'report.noTypes' }));
          return;
        }
        list.replaceChildren(...choices.map((choice) => h('li', {}, this.choiceButton(choice))));
      },
      (error: unknown) => {
        list.removeAttribute('aria-busy');
        const message = error instanceof Error ? error.message : String(error);
        list.replaceChildren(h('li', { className: 'panel-message panel-error', text: t('report.typesFailed', { message }) }));
      },
    );
    return { heading, nodes };
  }

  private choiceButton(choice: Choice): HTMLButtonElement {
    const title = typeText(choice.type.title);
    const button = h(
      'button',
      { className: 'type-choice', attrs: { type: 'button', 'data-type': choice.type.name } },
      h('span', { className: 'type-title', text: choice.address ? t('report.ownHome', { title, address: choice.address.label }) : title }),
      h('span', { className: 'type-question', text: typeText(choice.type.question) }),
    );
    button.addEventListener('click', () => void this.proceed(choice));
    return button;
  }

  /** After choosing a type: a session first, then the similar report, then the form. */
  private async proceed(choice: Choice): Promise<void> {
    if (!this.options.sessions.canReport) {
      this.go({ kind: 'auth', choice });
      return;
    }
    const place = similarPlace(choice);
    if (!place) {
      this.showForm(choice);
      return;
    }
    this.go({ kind: 'checking', choice });
    try {
      const existing = await this.options.api.similar(choice.type.name, place);
      if (this.step.kind !== 'checking' || this.step.choice !== choice) return;
      if (!existing) {
        this.showForm(choice);
        return;
      }
      // Confirming one's own report is refused (409): recognise it and say so instead.
      const mine = await this.options.api.mine().then(
        (list) => list.some((o) => o.id === existing.id),
        () => false,
      );
      if (this.step.kind !== 'checking' || this.step.choice !== choice) return;
      this.go({ kind: 'similar', choice, existing, mine });
    } catch {
      // The check is a courtesy: without it the user can still report.
      if (this.step.kind === 'checking' && this.step.choice === choice) this.showForm(choice);
    }
  }

  private showForm(choice: Choice, answers?: JsonObject): void {
    const form = new ReportForm(choice, {
      api: this.options.api,
      onBack: () => this.go({ kind: 'choose' }),
      onSignedOut: () => void this.options.sessions.load(),
      onDone: (outcome) => this.reported(outcome),
      signInLink: (current) => this.signInLink(choice, 'report.signInAgain', current),
      ...(answers ? { answers } : {}),
    });
    this.go({ kind: 'form', form });
  }

  /**
   * A link to the sign-in page that comes back to this report: following it keeps the target, the
   * type and the answers (read when followed) as a draft.
   */
  private signInLink(choice: Choice, label: MessageKey, answers: () => JsonObject = () => ({})): HTMLAnchorElement {
    const target = this.target;
    const link = h('a', { className: 'button-secondary', i18n: label, attrs: { href: signInUrl(target ? returnPath(target) : '/') } });
    link.addEventListener('click', () => {
      if (!target) return;
      saveDraft({ target, type: choice.type.name, address: choice.address?.id ?? null, answers: answers() });
    });
    return link;
  }

  /**
   * Opens the sheet again at the report of `draft` (back from signing in): its form with the
   * answers given, or — without a session after all — the step that asks how to report.
   */
  async restore(draft: ReportDraft, opener: HTMLElement | null): Promise<void> {
    this.open(draft.target, opener);
    const types = await this.options.types.all().catch(() => []);
    const target = this.target;
    if (!target || target !== draft.target) return;
    const choice = choicesFor(target, types, this.options.sessions.verifiedAddresses).find(
      (c) => c.type.name === draft.type && (c.address?.id ?? null) === draft.address,
    );
    if (!choice) return;
    if (this.options.sessions.canReport) this.showForm(choice, draft.answers);
    else this.go({ kind: 'auth', choice });
  }

  private reported(outcome: FormOutcome): void {
    if (outcome.kind === 'confirmed') {
      this.options.onConfirmed(outcome.confirmation, outcome.photosDropped);
      this.close();
      return;
    }
    const { observation, photoProblems } = outcome;
    this.options.onReported(observation, photoProblems);
    if (photoProblems.length === 0) {
      this.close();
      return;
    }
    this.step = { kind: 'result', observation, problems: photoProblems };
    this.render(true);
  }

  private authStep(choice: Choice): StepView {
    const heading = h('h3', { i18n: 'report.signInTitle' });
    const device = h('button', { className: 'button-primary', i18n: 'report.device', attrs: { type: 'button', id: 'report-device' } });
    device.addEventListener('click', () => {
      this.notice.show('info', { key: 'form.busy' });
      this.options.sessions.startDevice().then(
        () => {
          this.notice.clear();
          void this.proceed(choice);
        },
        (error: unknown) => this.notice.error(error),
      );
    });
    const signIn = this.signInLink(choice, 'report.signIn');
    const back = h('button', { className: 'button-secondary', i18n: 'report.back', attrs: { type: 'button' } });
    back.addEventListener('click', () => this.go({ kind: 'choose' }));
    return { heading, nodes: [h('p', { i18n: 'report.signInText' }), h('div', { className: 'form-actions' }, device, signIn, back)] };
  }

  private similarStep(s: Step & { kind: 'similar' }): StepView {
    const heading = h('h3', { i18n: 'report.similarTitle' });
    const date = formatDate(s.existing.observed_at);
    const status = statusClassLabel(s.existing.status_class);
    const anyway = h('button', { className: 'button-secondary', i18n: 'report.similarAnyway', attrs: { type: 'button', id: 'report-anyway' } });
    anyway.addEventListener('click', () => this.showForm(s.choice));
    if (s.mine) {
      const mine = h('button', { className: 'button-primary', i18n: 'report.toMine', attrs: { type: 'button' } });
      mine.addEventListener('click', () => this.options.onShowMine(mine));
      return { heading, nodes: [h('p', { text: t('report.similarMine', { date }) }), h('div', { className: 'form-actions' }, mine, anyway)] };
    }
    const count = s.existing.confirmations;
    const confirm = h('button', {
      className: 'button-primary',
      // Nobody confirmed it yet: no "(al bevestigd door 0 …)".
      text: count === 0 ? t('report.similarConfirm.none') : plural('report.similarConfirm', count),
      attrs: { type: 'button', id: 'report-confirm' },
    });
    confirm.addEventListener('click', () => {
      this.notice.show('info', { key: 'form.busy' });
      this.options.api.confirm(s.existing.id).then(
        (confirmation) => {
          this.options.onConfirmed(confirmation);
          this.close();
        },
        (error: unknown) => {
          if (error instanceof ApiError && error.status === 409) this.notice.show('error', { key: 'report.confirmOwn' });
          else this.notice.error(error);
        },
      );
    });
    return {
      heading,
      nodes: [
        h('p', { text: t('report.similarText', { status, date }) }),
        h('div', { className: 'form-actions form-actions-stacked' }, confirm, anyway),
      ],
    };
  }

  private resultStep(problems: readonly Message[]): StepView {
    const heading = h('h3', { i18n: 'report.savedPhotoProblems' });
    const list = h('ul', { className: 'photo-problems' }, ...problems.map((m) => h('li', { text: t(m.key, m.params ? { ...m.params } : {}) })));
    const done = h('button', { className: 'button-primary', i18n: 'report.done', attrs: { type: 'button' } });
    done.addEventListener('click', () => this.close());
    return { heading, nodes: [list, h('div', { className: 'form-actions' }, done)] };
  }
}
