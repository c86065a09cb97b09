// Editing the roles of one user: rows of (role, scope), saved together with
// PUT /api/admin/users/{id}/roles.

import { admin, type AdminUser } from '../api/admin';
import { ROLE_NAMES, type RoleName } from '../api/auth';
import { t } from '../i18n';
import { h } from '../ui/element';
import { setInvalid, whileBusy } from '../ui/form';
import { roleLabel } from '../ui/labels';
import { Notice } from '../ui/notice';
import { isScope, normaliseScope } from './scope';

/** A role select with every role, `selected` chosen. */
export function roleSelect(id: string, selected: RoleName): HTMLSelectElement {
  const select = h('select', { attrs: { id, name: 'role' } });
  for (const role of ROLE_NAMES) {
    const option = h('option', { text: roleLabel(role), attrs: { value: role } });
    option.selected = role === selected;
    // What form.reset() goes back to.
    option.defaultSelected = role === selected;
    select.append(option);
  }
  return select;
}

export class RoleEditor {
  private user: AdminUser | null = null;
  private rows: Array<{ role: RoleName; scope: string }> = [];
  private readonly noticeEl = h('p');
  private readonly notice = new Notice(this.noticeEl);

  constructor(
    private readonly root: HTMLElement,
    private readonly onSaved: (user: AdminUser) => void,
    /** Called when the editor closes, to give the focus back. */
    private readonly onClose: (user: AdminUser) => void,
  ) {}

  open(user: AdminUser): void {
    this.user = user;
    this.rows = user.roles.map((r) => ({ ...r }));
    this.notice.clear();
    this.root.hidden = false;
    this.render();
    this.root.querySelector<HTMLElement>('h3')?.focus();
  }

  close(): void {
    const user = this.user;
    this.user = null;
    this.root.hidden = true;
    this.root.replaceChildren();
    if (user) this.onClose(user);
  }

  /** Re-renders in the current language (rows as edited so far). */
  render(): void {
    const user = this.user;
    if (!user) return;
    const rows = h('div');
    this.rows.forEach((row, i) => {
      const n = i + 1;
      const select = roleSelect(`role-${n}`, row.role);
      select.addEventListener('change', () => {
        row.role = select.value as RoleName;
      });
      const scope = h('input', {
        attrs: { id: `scope-${n}`, type: 'text', list: 'scope-options', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'roles-scope-hint' },
      });
      scope.value = row.scope;
      scope.addEventListener('input', () => {
        row.scope = scope.value;
      });
      const remove = h('button', {
        className: 'button-link',
        text: t('admin.removeRole'),
        attrs: { type: 'button', 'aria-label': t('admin.removeRoleLabel', { n }) },
      });
      remove.addEventListener('click', () => {
        this.rows.splice(i, 1);
        this.render();
        this.root.querySelector<HTMLElement>(`#role-${Math.min(n, this.rows.length)}`)?.focus();
      });
      rows.append(
        h(
          'fieldset',
          { className: 'role-row' },
          h('legend', { className: 'visually-hidden', text: t('admin.roleRow', { n }) }),
          h('div', { className: 'field' }, h('label', { i18n: 'admin.role', attrs: { for: select.id } }), select),
          h('div', { className: 'field' }, h('label', { i18n: 'admin.scope', attrs: { for: scope.id } }), scope),
          remove,
        ),
      );
    });
    if (this.rows.length === 0) rows.append(h('p', { className: 'hint', i18n: 'admin.rolesNone' }));

    const add = h('button', { className: 'button-secondary', i18n: 'admin.addRole', attrs: { type: 'button' } });
    add.addEventListener('click', () => {
      this.rows.push({ role: 'resident', scope: 'all' });
      this.render();
      this.root.querySelector<HTMLElement>(`#role-${this.rows.length}`)?.focus();
    });
    const cancel = h('button', { className: 'button-link', i18n: 'form.cancel', attrs: { type: 'button' } });
    cancel.addEventListener('click', () => this.close());
    const form = h(
      'form',
      { className: 'form', attrs: { novalidate: '' } },
      rows,
      h('p', { className: 'hint', i18n: 'admin.scopeHint', attrs: { id: 'roles-scope-hint' } }),
      h(
        'div',
        { className: 'actions' },
        add,
        h('button', { className: 'button-primary', i18n: 'admin.saveRoles', attrs: { type: 'submit' } }),
        cancel,
      ),
      this.noticeEl,
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.save(form);
    });
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        this.close();
      }
    });
    this.root.replaceChildren(
      h('div', { className: 'card' }, h('h3', { text: t('admin.rolesTitle', { email: user.email }), attrs: { tabindex: '-1' } }), form),
    );
  }

  private async save(form: HTMLFormElement): Promise<void> {
    const user = this.user;
    if (!user) return;
    const grants = this.rows.map((r) => ({ role: r.role, scope: normaliseScope(r.scope) }));
    const bad = grants.findIndex((g) => !isScope(g.scope));
    this.rows.forEach((_, i) => {
      const input = form.querySelector<HTMLInputElement>(`#scope-${i + 1}`);
      if (input) setInvalid(input, i === bad);
    });
    if (bad >= 0) {
      this.notice.show('error', { key: 'admin.scopeInvalid' });
      form.querySelector<HTMLElement>(`#scope-${bad + 1}`)?.focus();
      return;
    }
    await whileBusy(form, async () => {
      try {
        const saved = await admin.setRoles(user.id, grants);
        const updated: AdminUser = saved && Array.isArray(saved.roles) ? saved : { ...user, roles: grants };
        this.onSaved(updated);
        this.user = updated;
        this.close();
      } catch (error) {
        this.notice.error(error);
      }
    });
  }
}
