// One verified address (GET /api/my/addresses/{id}), "Wat is er bekend over mijn adres": the
// register facts in words (homeFacts.ts), the observations with their questions and answers and a
// "Bezwaar maken" form each (POST …/contests), the contests made, and the opt-outs per purpose
// (PUT / DELETE …/opt-outs/{purpose}), saved as soon as a box is ticked. The ids and codes are in
// the "details for GIS" fold.

import { account, buildingsOf, PURPOSES, type MyAddressDetail, type Observation } from '../api/account';
import type { VerifiedAddress } from '../api/auth';
import { reports } from '../api/reports';
import { onLangChange, t } from '../i18n';
import { TypeCatalogue } from '../report/catalogue';
import { h } from '../ui/element';
import { addressFacts, buildingFacts, contestView, homeGis, observationView } from './homeFacts';
import { setInvalid, whileBusy } from '../ui/form';
import { optOutKey, purposeLabel } from '../ui/labels';
import { Notice } from '../ui/notice';

export class AddressDetail {
  private address: VerifiedAddress | null = null;
  private detail: MyAddressDetail | null = null;
  /** Contest reasons being written, per observation id, kept across re-renders. */
  private readonly drafts = new Map<string, string>();
  private openContest: string | null = null;
  private readonly noticeEl = h('p');
  private readonly notice = new Notice(this.noticeEl);

  constructor(
    private readonly root: HTMLElement,
    /** Called after closing, with the id of the address that was shown (to give the focus back). */
    private readonly onClose: (addressId: string) => void,
    /** The observation types, for the titles, questions and answers in words. */
    private readonly types: TypeCatalogue = new TypeCatalogue(reports),
  ) {
    onLangChange(() => this.render(false));
  }

  async open(address: VerifiedAddress): Promise<void> {
    this.address = address;
    this.detail = null;
    this.drafts.clear();
    this.openContest = null;
    this.root.hidden = false;
    this.root.setAttribute('aria-busy', 'true');
    this.notice.show('info', { key: 'form.loading' });
    this.render(false);
    try {
      // Without the types the observations still show, with their codes made readable.
      [this.detail] = await Promise.all([account.myAddress(address.address_id), this.types.all().catch(() => [])]);
      this.notice.clear();
    } catch (error) {
      this.notice.error(error);
    }
    this.root.removeAttribute('aria-busy');
    this.render(true);
  }

  close(): void {
    const id = this.address?.address_id;
    this.address = null;
    this.detail = null;
    this.root.hidden = true;
    this.root.replaceChildren();
    if (id !== undefined) this.onClose(String(id));
  }

  private async reload(): Promise<void> {
    if (!this.address) return;
    this.detail = await account.myAddress(this.address.address_id);
    this.render(false);
  }

  /** Renders the detail; the focus goes to the heading, or stays on the field it was on. */
  private render(focusHeading: boolean): void {
    const address = this.address;
    if (!address) return;
    const active = document.activeElement;
    const focusedId = active instanceof HTMLElement && this.root.contains(active) ? active.id || null : undefined;
    const heading = h('h3', { text: address.label, attrs: { tabindex: '-1', id: 'address-detail-title' } });
    const close = h('button', { className: 'button-secondary', i18n: 'myaddr.close', attrs: { type: 'button' } });
    close.addEventListener('click', () => this.close());
    const parts: Node[] = [h('div', { className: 'row' }, heading, close), this.noticeEl];
    const d = this.detail;
    if (d) {
      const buildings = buildingsOf(d);
      parts.push(h('h4', { i18n: 'myaddr.register' }), h('h5', { i18n: 'myaddr.address' }), addressFacts(d.address));
      for (const building of buildings) parts.push(h('h5', { i18n: 'myaddr.building' }), buildingFacts(building));
      parts.push(homeGis(d.address, buildings), this.optOuts(d), ...this.observations(d), ...this.contests(d));
    }
    this.root.replaceChildren(h('div', { className: 'card', attrs: { 'aria-labelledby': 'address-detail-title', role: 'region' } }, ...parts));
    if (focusHeading || focusedId === null) heading.focus();
    else if (focusedId) [...this.root.querySelectorAll<HTMLElement>('[id]')].find((el) => el.id === focusedId)?.focus();
  }

  private optOuts(d: MyAddressDetail): HTMLElement {
    const notice = h('p');
    const status = new Notice(notice);
    const fieldset = h(
      'fieldset',
      { className: 'field' },
      h('legend', { i18n: 'myaddr.optOuts' }),
      h('p', { className: 'hint', i18n: 'myaddr.optOutsIntro' }),
    );
    for (const purpose of PURPOSES) {
      const box = h('input', { attrs: { type: 'checkbox', id: `opt-out-${purpose}`, name: 'opt-out', value: purpose } });
      box.checked = d.opt_outs.includes(purpose);
      box.addEventListener('change', () =>
        void whileBusy(fieldset, async () => {
          const optedOut = box.checked;
          try {
            await account.setOptOut(this.address?.address_id ?? '', purpose, optedOut);
            const rest = d.opt_outs.filter((p) => p !== purpose);
            this.detail = { ...d, opt_outs: optedOut ? [...rest, purpose] : rest };
            d = this.detail;
            status.show('success', { key: optedOut ? 'myaddr.optOutOn' : 'myaddr.optOutOff', params: { purpose: purposeLabel(purpose) } });
          } catch (error) {
            box.checked = !optedOut;
            status.error(error);
          }
        }),
      );
      fieldset.append(
        h('label', { className: 'choice', attrs: { for: box.id } }, box, h('span', { i18n: optOutKey(purpose) })),
      );
    }
    fieldset.append(notice);
    return fieldset;
  }

  private observations(d: MyAddressDetail): Node[] {
    const nodes: Node[] = [h('h4', { i18n: 'myaddr.observations' })];
    if (d.observations.length === 0) return [...nodes, h('p', { i18n: 'myaddr.noObservations' })];
    nodes.push(h('ul', { className: 'plain-list' }, ...d.observations.map((o) => h('li', {}, this.observation(o)))));
    return nodes;
  }

  private observation(o: Observation): HTMLElement {
    const id = String(o.id);
    const formId = `contest-${id}`;
    const toggle = h('button', {
      className: 'button-secondary',
      text: t('myaddr.contest'),
      attrs: {
        type: 'button',
        'aria-expanded': String(this.openContest === id),
        'aria-controls': formId,
        'aria-label': t('myaddr.contestLabel', { what: this.types.title(String(o['type'] ?? '')) }),
      },
    });
    const reason = h('textarea', { attrs: { id: `${formId}-reason`, name: 'reason', required: '', rows: '3' } });
    reason.value = this.drafts.get(id) ?? '';
    reason.addEventListener('input', () => this.drafts.set(id, reason.value));
    const noticeEl = h('p');
    const notice = new Notice(noticeEl);
    const cancel = h('button', { className: 'button-link', i18n: 'form.cancel', attrs: { type: 'button' } });
    const form = h(
      'form',
      { className: 'form', attrs: { id: formId, novalidate: '' } },
      h('div', { className: 'field' }, h('label', { i18n: 'myaddr.contestReason', attrs: { for: reason.id } }), reason),
      h('div', { className: 'actions' }, h('button', { className: 'button-primary', i18n: 'myaddr.contestSubmit', attrs: { type: 'submit' } }), cancel),
    );
    form.hidden = this.openContest !== id;
    const setOpen = (open: boolean) => {
      this.openContest = open ? id : null;
      form.hidden = !open;
      toggle.setAttribute('aria-expanded', String(open));
      (open ? reason : toggle).focus();
    };
    toggle.addEventListener('click', () => setOpen(form.hidden));
    cancel.addEventListener('click', () => setOpen(false));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const text = reason.value.trim();
      setInvalid(reason, text === '');
      if (text === '') {
        notice.show('error', { key: 'form.required' });
        reason.focus();
        return;
      }
      void whileBusy(form, async () => {
        try {
          await account.contest(this.address?.address_id ?? '', o.id, text);
          this.drafts.delete(id);
          this.openContest = null;
          this.notice.show('success', { key: 'myaddr.contestSent' });
          await this.reload();
          this.root.querySelector<HTMLElement>('#address-detail-title')?.focus();
        } catch (error) {
          notice.error(error);
        }
      });
    });
    const view = observationView(o, this.types);
    return h('div', { className: 'observation' }, view.title, ...view.body, h('div', { className: 'actions' }, toggle), form, noticeEl);
  }

  private contests(d: MyAddressDetail): Node[] {
    const nodes: Node[] = [h('h4', { i18n: 'myaddr.contests' })];
    if (d.contests.length === 0) return [...nodes, h('p', { i18n: 'myaddr.noContests' })];
    return [...nodes, h('ul', { className: 'plain-list contests' }, ...d.contests.map((c) => h('li', {}, contestView(c, d.observations, this.types))))];
  }
}
