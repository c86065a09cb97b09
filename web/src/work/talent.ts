// The talent section of the work page, for those who organise the work in an area: residents'
// offers matched to open work nearby (per kind, the largest items by address), an invitation in
// one click (with an optional message), and the invitations with their status and hours.

import { invitationStatus, invitationWhat, invitationWhere, type Invitation } from '../account/myWork';
import { listWord, offerSentence, type TalentOffer } from '../account/offer';
import { http } from '../api/http';
import { formatNumber, t } from '../i18n';
import { h, type Child } from '../ui/element';
import { dataTable, scrollRegion } from '../ui/facts';
import { whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { kindTitle, targetLabel, type About, type WorkKind } from './labels';

interface MatchedItem {
  readonly kind: string;
  readonly target: string;
  readonly about: About;
  readonly size: number;
}

interface KindMatch {
  readonly kind: string;
  readonly skills: readonly string[];
  readonly items: number;
  readonly largest: readonly MatchedItem[];
}

interface OfferMatch extends TalentOffer {
  readonly id: number;
  readonly name: string;
  readonly live_invitations: number;
  readonly open_items: number;
  readonly matches: readonly KindMatch[];
}

export class TalentSection {
  private readonly notice: Notice;
  private readonly body: HTMLElement;
  private offers: OfferMatch[] = [];
  private expired = 0;
  private invitations: Invitation[] = [];

  constructor(
    root: HTMLElement,
    private readonly kinds: () => readonly WorkKind[],
  ) {
    const noticeEl = h('p', { attrs: { id: 'talent-notice' } });
    this.notice = new Notice(noticeEl);
    this.body = h('div');
    root.replaceChildren(h('h2', { attrs: { id: 'talent-title' }, i18n: 'match.title' }), h('p', { i18n: 'match.intro' }), noticeEl, this.body);
  }

  async load(): Promise<void> {
    const [m, inv] = await Promise.all([
      http.json<{ offers: OfferMatch[]; expired: number }>('GET', '/api/talent/offers'),
      http.json<{ invitations: Invitation[] }>('GET', '/api/talent/invitations'),
    ]);
    this.offers = m.offers;
    this.expired = m.expired;
    this.invitations = inv.invitations;
    this.render();
  }

  rerender(): void {
    this.render();
  }

  private name(o: { name: string }): string {
    return o.name.trim() || t('match.anonymous');
  }

  private render(): void {
    const parts: Child[] = [];
    if (this.offers.length === 0) parts.push(h('p', { text: t('match.none') }));
    else parts.push(h('ul', { className: 'talent-offers plain-list' }, ...this.offers.map((o) => this.offer(o))));
    if (this.expired > 0) parts.push(h('p', { className: 'hint', text: t('match.expired', { count: this.expired }) }));
    parts.push(h('h3', { text: t('match.invitations') }));
    if (this.invitations.length === 0) parts.push(h('p', { text: t('match.noInvitations') }));
    else {
      const rows: Child[][] = this.invitations.map((inv) => {
        const withdraw =
          inv.status === 'invited' || inv.status === 'accepted'
            ? this.button(t('match.withdraw'), `${t('match.withdraw')}: ${this.name(inv.resident ?? { name: '' })}`, async () => {
                await http.json('POST', `/api/talent/invitations/${inv.id}/withdraw`);
                this.notice.show('success', { key: 'match.withdrawn' });
                await this.load();
              })
            : null;
        return [
          this.name(inv.resident ?? { name: '' }),
          `${invitationWhat(inv, this.kinds())} — ${invitationWhere(inv)}`,
          invitationStatus(inv.status),
          `${formatNumber(inv.hours_paid)} / ${formatNumber(inv.hours_volunteered)}`,
          withdraw,
        ];
      });
      parts.push(scrollRegion(dataTable([t('match.colResident'), t('match.colWork'), t('match.colStatus'), t('match.colHours'), ''], rows, true), t('match.invitations')));
    }
    this.body.replaceChildren(...parts.filter((p): p is Node | string => p !== null && p !== undefined && p !== false));
  }

  private button(label: string, aria: string, action: () => Promise<void>): HTMLButtonElement {
    const b = h('button', { attrs: { type: 'button', 'aria-label': aria }, className: 'button-secondary', text: label });
    b.addEventListener('click', () => void whileBusy(b, () => action().catch((error: unknown) => this.notice.error(error))));
    return b;
  }

  private offer(o: OfferMatch): HTMLElement {
    const name = this.name(o);
    const note = h('input', { attrs: { type: 'text', maxlength: '300', id: `invite-note-${o.id}` } });
    const fits: Child[] =
      o.matches.length === 0
        ? [h('p', { className: 'hint', text: t('match.nothing') })]
        : o.matches.map((k) =>
            h(
              'div',
              { className: 'talent-kind' },
              h('p', { text: `${t('match.fits', { kind: kindTitle(this.kinds(), k.kind), count: k.items })} (${k.skills.map((s) => listWord('talent.skill', s)).join(', ')})` }),
              h(
                'ul',
                {},
                ...k.largest.map((it) => {
                  const place = targetLabel(it.about);
                  const invite = this.button(t('match.invite'), t('match.inviteFor', { kind: kindTitle(this.kinds(), it.kind), place }), async () => {
                    await http.json('POST', '/api/talent/invitations', { offer: o.id, kind: it.kind, target: it.target, note: note.value });
                    this.notice.show('success', { key: 'match.invited', params: { name } });
                    await this.load();
                  });
                  return h('li', {}, `${place} `, invite);
                }),
              ),
            ),
          );
    return h(
      'li',
      { className: 'talent-offer', attrs: { 'data-offer': String(o.id) } },
      h('h3', { text: name }),
      h('p', { text: offerSentence(o, 'match.offer') }),
      o.live_invitations > 0 ? h('p', { className: 'hint', text: t('match.live', { count: o.live_invitations }) }) : null,
      ...fits,
      o.matches.length > 0 ? h('div', { className: 'field' }, h('label', { attrs: { for: note.id }, text: t('match.note') }), note) : null,
    );
  }
}
