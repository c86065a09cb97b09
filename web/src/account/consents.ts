// Consents per purpose (canvassing, contact, research, talent): the latest ledger entry holds; giving
// and withdrawing adds an entry (POST /api/account/consents); the history shows every entry.

import { account, CONSENT_PURPOSES, currentConsents, type ConsentDecision, type ConsentEntry, type ConsentPurpose } from '../api/account';
import { onLangChange, t } from '../i18n';
import { byId, h, setI18n } from '../ui/element';
import { showDateTime } from '../ui/facts';
import { whileBusy } from '../ui/form';
import { purposeLabel as purposeName } from '../ui/labels';
import { Notice } from '../ui/notice';

export function mountConsents(initial: readonly ConsentEntry[]): void {
  const section = byId('consents-section');
  const list = byId('consent-list');
  const notice = new Notice(byId('consent-notice'));
  const historyToggle = byId<HTMLButtonElement>('consent-history-toggle');
  const historyBox = byId('consent-history');
  const historyNotice = h('p');
  const historyNoticeCtl = new Notice(historyNotice);
  let entries: ConsentEntry[] = [...initial];
  let history: ConsentEntry[] | null = null;

  const render = () => {
    const current = currentConsents(entries);
    list.replaceChildren(
      ...CONSENT_PURPOSES.map((purpose) => {
        const entry = current[purpose];
        const given = entry?.given ?? false;
        const status =
          entry === null
            ? t('consent.never')
            : t(entry.given ? 'consent.given' : 'consent.withdrawn', { at: showDateTime(entry.at) });
        // Both choices look the same: the page must not nudge towards consent.
        const button = h('button', {
          className: 'button-secondary',
          text: t(given ? 'consent.withdraw' : 'consent.give'),
          attrs: {
            type: 'button',
            'aria-label': t(given ? 'consent.withdrawLabel' : 'consent.giveLabel', { purpose: purposeName(purpose) }),
          },
        });
        button.dataset['purpose'] = purpose;
        button.addEventListener('click', () => void whileBusy(section, () => change(purpose, !given)));
        return h(
          'li',
          { className: 'row' },
          h('span', {}, h('strong', { text: purposeName(purpose) }), h('br'), h('span', { className: 'hint', text: status })),
          button,
        );
      }),
    );
    renderHistory();
  };

  const renderHistory = () => {
    if (history === null) {
      historyBox.replaceChildren(historyNotice);
      return;
    }
    const sorted = history
      .filter((e): e is ConsentDecision => e.at !== null)
      .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
    historyBox.replaceChildren(
      sorted.length === 0
        ? h('p', { i18n: 'consent.historyEmpty' })
        : h(
            'ul',
            { className: 'plain-list' },
            ...sorted.map((e) =>
              h('li', {
                text: t(e.given ? 'consent.historyGiven' : 'consent.historyWithdrawn', {
                  at: showDateTime(e.at),
                  purpose: purposeName(e.purpose),
                }),
              }),
            ),
          ),
      historyNotice,
    );
  };

  const loadHistory = async () => {
    try {
      history = await account.consentHistory();
      historyNoticeCtl.clear();
    } catch (error) {
      history = null;
      historyNoticeCtl.error(error);
    }
    renderHistory();
  };

  const change = async (purpose: ConsentPurpose, given: boolean) => {
    notice.show('info', { key: 'form.busy' });
    try {
      const saved = await account.setConsent(purpose, given);
      const entry: ConsentEntry =
        saved && typeof saved.at === 'string' ? saved : { purpose, given, at: new Date().toISOString() };
      entries = [...entries, entry];
      render();
      notice.show('success', {
        key: given ? 'consent.savedGiven' : 'consent.savedWithdrawn',
        params: { purpose: purposeName(purpose) },
      });
      list.querySelector<HTMLButtonElement>(`button[data-purpose="${purpose}"]`)?.focus();
      if (!historyBox.hidden) await loadHistory();
      // The offer of time and talent stands on its consent: the offer section follows.
      if (purpose === 'talent') document.dispatchEvent(new CustomEvent('talent-consent-changed'));
    } catch (error) {
      notice.error(error);
    }
  };

  historyToggle.addEventListener('click', () => {
    const open = historyBox.hidden;
    historyBox.hidden = !open;
    historyToggle.setAttribute('aria-expanded', String(open));
    setI18n(historyToggle, open ? 'consent.historyHide' : 'consent.historyShow');
    if (open) void loadHistory();
  });

  // Giving or withdrawing the offer of time and talent gives or withdraws its consent.
  document.addEventListener('talent-offer-changed', () => {
    void account
      .account()
      .then((a) => {
        entries = [...a.consents];
        render();
      })
      .catch((error: unknown) => notice.error(error));
  });
  render();
  onLangChange(render);
  section.hidden = false;
}
