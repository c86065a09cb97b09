// "Meehelpen in je wijk" on the account page: what the resident offers to do, when and where
// (PUT /api/account/offer, with an explicit, unticked consent to `talent`), shown back in words,
// and withdrawn in one click (DELETE /api/account/offer erases it and withdraws the consent).

import { http } from '../api/http';
import { formatNumber, onLangChange, t, type MessageKey } from '../i18n';
import { byId, h } from '../ui/element';
import { formatDate } from '../ui/facts';
import { whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';

export interface TalentOffer {
  readonly skills: readonly string[];
  readonly other: string;
  readonly hours_per_week: number;
  readonly day_parts: readonly string[];
  readonly area: string;
  readonly area_name: string | null;
  readonly available_until: string | null;
}

interface MyOffer {
  readonly offer: TalentOffer | null;
  readonly skills: readonly string[];
  readonly day_parts: readonly string[];
}

interface AreaOption {
  readonly code: string;
  readonly name: string;
  readonly kind: string;
}

/** A key of a list the server sends, in words; an unknown one (a newer server) as sent. */
export function listWord(prefix: 'talent.skill' | 'talent.day', key: string): string {
  const k = `${prefix}.${key}` as MessageKey;
  const s = t(k);
  return s === k ? key : s;
}

/** Several list keys as one phrase. */
export function listWords(prefix: 'talent.skill' | 'talent.day', keys: readonly string[], other = ''): string {
  const words = keys.map((k) => listWord(prefix, k));
  if (other.trim()) words.push(other.trim());
  return words.join(', ');
}

/** The offer in one sentence. */
export function offerSentence(o: TalentOffer, key: 'talent.current' | 'match.offer' = 'talent.current'): string {
  const line = t(key, {
    skills: listWords('talent.skill', o.skills, o.other),
    hours: formatNumber(o.hours_per_week),
    when: listWords('talent.day', o.day_parts),
    area: o.area_name ?? t('mywork.unknownPlace'),
  });
  return o.available_until ? `${line} ${t('talent.currentUntil', { date: formatDate(o.available_until) })}` : line;
}

export function mountOffer(): void {
  const section = byId('offer-section');
  const notice = new Notice(byId('offer-notice'));
  const current = byId('offer-current');
  const form = byId<HTMLFormElement>('offer-form');
  const withdraw = byId<HTMLButtonElement>('offer-withdraw');
  let data: MyOffer | null = null;
  let areas: AreaOption[] = [];

  const checkboxes = (name: string, prefix: 'talent.skill' | 'talent.day', keys: readonly string[], chosen: readonly string[]) =>
    keys.map((key) => {
      const id = `${name}-${key}`;
      const box = h('input', { attrs: { type: 'checkbox', id, name, value: key } });
      box.checked = chosen.includes(key);
      return h('label', { className: 'choice', attrs: { for: id } }, box, h('span', { text: listWord(prefix, key) }));
    });

  const render = () => {
    if (!data) return;
    const o = data.offer;
    current.textContent = o ? offerSentence(o) : t('talent.none');
    withdraw.hidden = o === null;
    const skills = byId('offer-skills');
    skills.replaceChildren(h('legend', { text: t('talent.skills') }), ...checkboxes('offer-skill', 'talent.skill', data.skills, o?.skills ?? []));
    const days = byId('offer-days');
    days.replaceChildren(h('legend', { text: t('talent.when') }), ...checkboxes('offer-day', 'talent.day', data.day_parts, o?.day_parts ?? []));
    byId<HTMLInputElement>('offer-other').value = o?.other ?? '';
    byId<HTMLInputElement>('offer-hours').value = String(o?.hours_per_week ?? 2);
    byId<HTMLInputElement>('offer-until').value = o?.available_until ?? '';
    const area = byId<HTMLSelectElement>('offer-area');
    const choices = areas.filter((a) => a.kind !== 'gemeente');
    area.replaceChildren(
      ...choices.map((a) => {
        const opt = h('option', { attrs: { value: a.code }, text: a.name });
        opt.selected = a.code === o?.area;
        return opt;
      }),
    );
    if (choices.length === 0) notice.show('info', { key: 'talent.noAreas' });
    // Consent is asked every time it is not held: never ticked beforehand.
    const consent = byId<HTMLInputElement>('offer-consent');
    consent.checked = o !== null;
  };

  const load = async () => {
    try {
      [data, areas] = await Promise.all([
        http.json<MyOffer>('GET', '/api/account/offer'),
        http.json<AreaOption[]>('GET', '/api/areas').catch(() => [] as AreaOption[]),
      ]);
      render();
    } catch (error) {
      notice.error(error);
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = (name: string) => [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((b) => b.value);
    const skills = chosen('offer-skill');
    const days = chosen('offer-day');
    const other = byId<HTMLInputElement>('offer-other').value;
    const consent = byId<HTMLInputElement>('offer-consent');
    if (skills.length === 0 && !other.trim()) {
      notice.show('error', { key: 'talent.needSkill' });
      form.querySelector<HTMLInputElement>('input[name="offer-skill"]')?.focus();
      return;
    }
    if (days.length === 0) {
      notice.show('error', { key: 'talent.needDay' });
      form.querySelector<HTMLInputElement>('input[name="offer-day"]')?.focus();
      return;
    }
    if (!consent.checked) {
      notice.show('error', { key: 'talent.needConsent' });
      consent.focus();
      return;
    }
    const until = byId<HTMLInputElement>('offer-until').value;
    void whileBusy(form, async () => {
      try {
        data = await http.json<MyOffer>('PUT', '/api/account/offer', {
          skills,
          other,
          hours_per_week: Number(byId<HTMLInputElement>('offer-hours').value),
          day_parts: days,
          area: byId<HTMLSelectElement>('offer-area').value,
          available_until: until === '' ? null : until,
          consent: true,
        });
        render();
        notice.show('success', { key: 'talent.saved' });
        document.dispatchEvent(new CustomEvent('talent-offer-changed'));
      } catch (error) {
        notice.error(error);
      }
    });
  });

  withdraw.addEventListener('click', () => {
    void whileBusy(section, async () => {
      try {
        await http.json('DELETE', '/api/account/offer');
        await load();
        notice.show('success', { key: 'talent.withdrawn' });
        document.dispatchEvent(new CustomEvent('talent-offer-changed'));
        form.querySelector<HTMLInputElement>('input')?.focus();
      } catch (error) {
        notice.error(error);
      }
    });
  });

  document.addEventListener('talent-consent-changed', () => void load());
  onLangChange(render);
  section.hidden = false;
  void load();
}
