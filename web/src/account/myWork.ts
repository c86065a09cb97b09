// "Mijn werk" on the account page: the invitations the resident got (what to do, where — by
// address — and under which assignment), accept or decline, say it is done, and log hours.

import { http } from '../api/http';
import { formatNumber, onLangChange, t, type MessageKey } from '../i18n';
import { byId, h, type Child } from '../ui/element';
import { formatDate } from '../ui/facts';
import { whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { kindTitle, targetLabel, type About, type WorkKind } from '../work/labels';

export interface Invitation {
  readonly id: number;
  readonly status: string;
  readonly note: string;
  readonly kind: string | null;
  readonly about: About | null;
  readonly lon: number | null;
  readonly lat: number | null;
  readonly hours_paid: number;
  readonly hours_volunteered: number;
  readonly assignment: {
    readonly title: string;
    readonly organisation: string;
    readonly delivered_when: string;
    readonly deadline: string;
    readonly area_name: string | null;
    readonly helpers_paid: boolean;
  } | null;
  readonly resident?: { readonly offer: number; readonly name: string };
}

/** The status of an invitation in words. */
export function invitationStatus(status: string): string {
  const key = `mywork.status.${status}` as MessageKey;
  const s = t(key);
  return s === key ? t('work.targetUnknown') : s;
}

/** What the work is, in words: the kind's title, or the assignment's. */
export function invitationWhat(inv: Invitation, kinds: readonly WorkKind[]): string {
  if (inv.kind) return kindTitle(kinds, inv.kind);
  return inv.assignment?.title ?? t('work.targetUnknown');
}

/** Where the work is: its address, or the assignment's area. */
export function invitationWhere(inv: Invitation): string {
  if (inv.about) return targetLabel(inv.about);
  return inv.assignment?.area_name ?? t('mywork.unknownPlace');
}

function today(): string {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

export function mountMyWork(): void {
  const section = byId('mywork-section');
  const list = byId('mywork-list');
  const notice = new Notice(byId('mywork-notice'));
  let invitations: Invitation[] = [];
  let kinds: WorkKind[] = [];

  const card = (inv: Invitation): HTMLElement => {
    const facts: [string, Child][] = [
      [t('mywork.what'), invitationWhat(inv, kinds)],
      [t('mywork.where'), invitationWhere(inv)],
    ];
    if (inv.assignment) {
      facts.push(
        [t('mywork.assignment'), `${inv.assignment.title} (${inv.assignment.organisation})`],
        [t('mywork.deliveredWhen'), inv.assignment.delivered_when],
        [t('mywork.deadline'), formatDate(inv.assignment.deadline)],
      );
    }
    if (inv.note) facts.push([t('mywork.note'), inv.note]);
    const total = inv.hours_paid + inv.hours_volunteered;
    const parts: Child[] = [
      h('h3', { text: `${invitationWhat(inv, kinds)} — ${invitationStatus(inv.status)}` }),
      h('dl', { className: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', {}, v)])),
    ];
    if (inv.assignment) parts.push(h('p', { className: 'hint', text: t(inv.assignment.helpers_paid ? 'mywork.paid' : 'mywork.volunteer') }));
    if (total > 0) parts.push(h('p', { text: t('mywork.hoursSoFar', { hours: formatNumber(total) }) }));
    const button = (label: MessageKey, answer: string, primary = false) => {
      const b = h('button', { attrs: { type: 'button', 'data-answer': answer }, className: primary ? 'button-primary' : 'button-secondary', text: t(label) });
      b.addEventListener('click', () =>
        void whileBusy(section, async () => {
          try {
            const after = await http.json<Invitation>('POST', `/api/account/work/${inv.id}/answer`, { answer });
            notice.show('success', { key: 'mywork.answered', params: { status: invitationStatus(after.status) } });
            await load();
          } catch (error) {
            notice.error(error);
          }
        }),
      );
      return b;
    };
    if (inv.status === 'invited') parts.push(h('div', { className: 'actions' }, button('mywork.accept', 'accept', true), button('mywork.decline', 'decline')));
    if (inv.status === 'accepted') {
      const day = h('input', { attrs: { type: 'date', id: `hours-day-${inv.id}`, required: '', max: today(), value: today() } });
      const hours = h('input', { attrs: { type: 'number', id: `hours-${inv.id}`, min: '0.25', max: '24', step: '0.25', value: '1', inputmode: 'decimal', required: '' } });
      const form = h(
        'form',
        { className: 'form form-inline', attrs: { novalidate: '', 'data-hours': String(inv.id) } },
        h('div', { className: 'field' }, h('label', { attrs: { for: day.id }, text: t('mywork.logDay') }), day),
        h('div', { className: 'field' }, h('label', { attrs: { for: hours.id }, text: t('mywork.logHours') }), hours),
        h('div', { className: 'actions' }, h('button', { attrs: { type: 'submit' }, className: 'button-secondary', text: t('mywork.log') })),
      );
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        void whileBusy(form, async () => {
          try {
            const logged = await http.json<{ hours: number }>('POST', `/api/account/work/${inv.id}/hours`, { day: day.value, hours: Number(hours.value) });
            // "1 hour", "1.5 hours" (Dutch: "uur" either way).
            notice.show('success', { key: logged.hours === 1 ? 'mywork.loggedOne' : 'mywork.logged', params: { hours: formatNumber(logged.hours) } });
            await load();
          } catch (error) {
            notice.error(error);
          }
        });
      });
      parts.push(form, h('div', { className: 'actions' }, button('mywork.done', 'done')));
    }
    return h('article', { className: 'mywork-item', attrs: { 'data-invitation': String(inv.id) } }, ...parts);
  };

  const render = () => {
    list.replaceChildren(...(invitations.length === 0 ? [h('p', { text: t('mywork.none') })] : invitations.map(card)));
  };

  const load = async () => {
    try {
      const [work, k] = await Promise.all([
        http.json<{ invitations: Invitation[] }>('GET', '/api/account/work'),
        kinds.length > 0 ? Promise.resolve({ kinds }) : http.json<{ kinds: WorkKind[] }>('GET', '/api/work/kinds'),
      ]);
      invitations = work.invitations;
      kinds = [...k.kinds];
      render();
    } catch (error) {
      notice.error(error);
    }
  };

  document.addEventListener('talent-offer-changed', () => void load());
  onLangChange(render);
  section.hidden = false;
  void load();
}
