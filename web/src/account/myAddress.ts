// "Mijn adres": a resident proves an address with the code from the letter
// (POST /api/my/addresses), then sees the verified addresses and opens one.

import { account } from '../api/account';
import type { VerifiedAddress } from '../api/auth';
import { onLangChange, t } from '../i18n';
import { byId, h } from '../ui/element';
import { setInvalid, whileBusy } from '../ui/form';
import { Notice } from '../ui/notice';
import { AddressDetail } from './addressDetail';

/** A letter code as typed: spaces and dashes dropped, letters upper case. */
export function normaliseLetterCode(value: string): string {
  return value.replace(/[\s-]/g, '').toUpperCase();
}

export function mountMyAddress(): void {
  const section = byId('myaddr-section');
  const form = byId<HTMLFormElement>('claim-form');
  const input = byId<HTMLInputElement>('claim-code');
  const list = byId('address-list');
  const notice = new Notice(byId('claim-notice'));
  const detail = new AddressDetail(byId('address-detail'), (id) => {
    [...list.querySelectorAll<HTMLButtonElement>('button')].find((b) => b.dataset['addressId'] === id)?.focus();
  });
  let addresses: readonly VerifiedAddress[] = [];

  const render = () => {
    list.replaceChildren(
      ...(addresses.length === 0
        ? [h('li', { i18n: 'myaddr.none' })]
        : addresses.map((a) => {
            const open = h('button', {
              className: 'button-secondary',
              text: t('myaddr.open'),
              attrs: { type: 'button', 'aria-label': t('myaddr.openLabel', { label: a.label }) },
            });
            open.dataset['addressId'] = String(a.address_id);
            open.addEventListener('click', () => void detail.open(a));
            return h('li', { className: 'row' }, h('span', { text: a.label }), open);
          })),
    );
  };

  const reload = async () => {
    try {
      addresses = await account.myAddresses();
    } catch (error) {
      notice.error(error);
    }
    render();
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const code = normaliseLetterCode(input.value);
    setInvalid(input, code === '');
    if (code === '') {
      notice.show('error', { key: 'form.required' });
      input.focus();
      return;
    }
    void whileBusy(form, async () => {
      notice.show('info', { key: 'form.busy' });
      try {
        const claimed = await account.claimAddress(code);
        input.value = '';
        setInvalid(input, false);
        notice.show('success', { key: 'myaddr.claimed', params: { label: claimed.label } });
        await reload();
      } catch (error) {
        setInvalid(input, true);
        notice.error(error);
        input.focus();
      }
    });
  });

  render();
  onLangChange(render);
  section.hidden = false;
  void reload();
}
