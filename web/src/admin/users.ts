// The users table (GET /api/admin/users) with, per user, "Rollen wijzigen" (roles.ts),
// disable / enable (PATCH /api/admin/users/{id}) and, for staff, "Wachtwoordlink sturen" (POST
// /api/admin/users/{id}/password-link: the account's own address gets a one-time link); and the
// form that adds a user (POST /api/admin/users).

import { admin, type AdminUser } from '../api/admin';
import type { RoleName } from '../api/auth';
import { onLangChange, t } from '../i18n';
import { byId, h, type Child } from '../ui/element';
import { dataTable, showDateTime, scrollRegion } from '../ui/facts';
import { looksLikeEmail, setInvalid, whileBusy } from '../ui/form';
import { roleLabel, roleText, scopeNamer, type ScopeNamer } from '../ui/labels';
import { Notice } from '../ui/notice';
import { RoleEditor, roleSelect } from './roles';
import { isScope, normaliseScope } from './scope';

export class UsersTable {
  private users: AdminUser[] = [];
  /** Names the scopes of roles (areas by name, never by code). */
  private scopeName: ScopeNamer = () => undefined;
  private readonly container = byId('users-table');
  private readonly notice = new Notice(byId('users-notice'));
  private readonly editor: RoleEditor;

  constructor() {
    this.editor = new RoleEditor(
      byId('roles-editor'),
      (user) => {
        this.replace(user);
        // A staff account without a password cannot sign in until its holder sets one.
        const key = needsPassword(user) ? 'admin.rolesSavedNeedsPassword' : 'admin.rolesSaved';
        this.notice.show('success', { key, params: { email: user.email } });
      },
      (user) => this.buttonFor(user, 'roles')?.focus(),
    );
    onLangChange(() => {
      this.render();
      this.editor.render();
    });
  }

  async load(): Promise<void> {
    const [users, areas, drawn] = await Promise.all([
      admin.users(),
      admin.areas().catch(() => []),
      admin.customAreas().catch(() => []),
    ]);
    this.users = users;
    this.scopeName = scopeNamer(areas, drawn);
    this.render();
  }

  /** Shows why the users could not be loaded. */
  failed(error: unknown): void {
    this.notice.error(error);
  }

  /** Adds or updates a user in the table. */
  replace(user: AdminUser): void {
    const i = this.users.findIndex((u) => u.id === user.id);
    if (i >= 0) this.users[i] = user;
    else this.users.push(user);
    this.render();
  }

  private buttonFor(user: AdminUser, action: 'roles' | 'disable' | 'password'): HTMLButtonElement | null {
    const id = String(user.id);
    return (
      [...this.container.querySelectorAll<HTMLButtonElement>('button')].find(
        (b) => b.dataset['user'] === id && b.dataset['action'] === action,
      ) ?? null
    );
  }

  private render(): void {
    if (this.users.length === 0) {
      this.container.replaceChildren(h('p', { i18n: 'admin.usersEmpty' }));
      return;
    }
    const headers = ['admin.colEmail', 'admin.colName', 'admin.colRoles', 'admin.colTotp', 'admin.colStatus', 'admin.colCreated', 'admin.colActions'] as const;
    const table = dataTable(
      headers.map((key) => t(key)),
      this.users.map((user) => this.row(user)),
      true,
    );
    this.container.replaceChildren(scrollRegion(table, t('admin.users')));
  }

  private row(user: AdminUser): Child[] {
    const roles = h('button', {
      className: 'button-secondary',
      text: t('admin.editRoles'),
      attrs: { type: 'button', 'aria-label': t('admin.editRolesLabel', { email: user.email }) },
    });
    roles.dataset['user'] = String(user.id);
    roles.dataset['action'] = 'roles';
    roles.addEventListener('click', () => this.editor.open(user));
    const toggle = h('button', {
      className: 'button-secondary',
      text: t(user.disabled ? 'admin.enable' : 'admin.disable'),
      attrs: { type: 'button', 'aria-label': t(user.disabled ? 'admin.enableLabel' : 'admin.disableLabel', { email: user.email }) },
    });
    toggle.dataset['user'] = String(user.id);
    toggle.dataset['action'] = 'disable';
    toggle.addEventListener('click', () => void this.setDisabled(user, !user.disabled));
    const actions = h('div', { className: 'actions' }, roles, toggle);
    // Residents sign in with a code by e-mail; staff set (or reset) a password with a link.
    if (isStaffAccount(user) && !user.disabled) {
      const link = h('button', {
        className: 'button-secondary',
        text: t(user.has_password ? 'admin.resetPassword' : 'admin.sendPasswordLink'),
        attrs: { type: 'button', 'aria-label': t(user.has_password ? 'admin.resetPasswordLabel' : 'admin.sendPasswordLinkLabel', { email: user.email }) },
      });
      link.dataset['user'] = String(user.id);
      link.dataset['action'] = 'password';
      link.addEventListener('click', () => void this.sendPasswordLink(user));
      actions.append(link);
    }
    return [
      user.email,
      user.display_name || t('facts.none'),
      user.roles.map((grant) => roleText(grant, this.scopeName)).join('; ') || t('account.noRoles'),
      t(user.totp_enabled ? 'account.totpOn' : 'account.totpOff'),
      t(user.disabled ? 'admin.disabled' : needsPassword(user) ? 'admin.noPasswordYet' : 'admin.active'),
      showDateTime(user.created_at),
      actions,
    ];
  }

  private async sendPasswordLink(user: AdminUser): Promise<void> {
    await whileBusy(this.container, async () => {
      try {
        const sent = await admin.sendPasswordLink(user.id);
        this.notice.show('success', {
          key: 'admin.passwordLinkSent',
          params: { email: sent.sent_to, until: showDateTime(sent.expires_at) },
        });
        this.buttonFor(user, 'password')?.focus();
      } catch (error) {
        this.notice.error(error);
      }
    });
  }

  private async setDisabled(user: AdminUser, disabled: boolean): Promise<void> {
    await whileBusy(this.container, async () => {
      try {
        const saved = await admin.setDisabled(user.id, disabled);
        const updated: AdminUser = saved && typeof saved.disabled === 'boolean' ? saved : { ...user, disabled };
        this.replace(updated);
        this.notice.show('success', {
          key: disabled ? 'admin.userDisabled' : 'admin.userEnabled',
          params: { email: user.email },
        });
        this.buttonFor(updated, 'disable')?.focus();
      } catch (error) {
        this.notice.error(error);
      }
    });
  }
}

/** Whether the account holds a staff role (staff sign in with a password, residents by e-mail code). */
function isStaffAccount(user: AdminUser): boolean {
  return user.roles.some((grant) => grant.role !== 'resident');
}

/** A staff account that cannot sign in yet: it has no password. */
function needsPassword(user: AdminUser): boolean {
  return isStaffAccount(user) && !user.has_password;
}

/** The "Gebruiker toevoegen" form; added users go into `table`. */
export function mountAddUser(table: UsersTable): void {
  const form = byId<HTMLFormElement>('add-user-form');
  const email = byId<HTMLInputElement>('new-email');
  const name = byId<HTMLInputElement>('new-name');
  const scope = byId<HTMLInputElement>('new-scope');
  const password = byId<HTMLInputElement>('new-password');
  const notice = new Notice(byId('add-user-notice'));
  const role = roleSelect('new-role', 'communitybuilder');
  byId('new-role').replaceWith(role);
  // A partner acts for an organisation; nobody else names one.
  const organisation = byId<HTMLInputElement>('new-organisation');
  const organisationField = byId('new-organisation-field');
  const showOrganisation = () => {
    organisationField.hidden = role.value !== 'partner';
  };
  role.addEventListener('change', showOrganisation);
  showOrganisation();
  onLangChange(() => {
    for (const option of role.options) option.textContent = roleLabel(option.value);
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const scopeValue = normaliseScope(scope.value);
    const checks: Array<[HTMLInputElement, boolean, 'form.required' | 'form.emailFormat' | 'admin.scopeInvalid']> = [
      [email, looksLikeEmail(email.value), email.value.trim() === '' ? 'form.required' : 'form.emailFormat'],
      [name, name.value.trim() !== '', 'form.required'],
      [scope, isScope(scopeValue), scopeValue === '' ? 'form.required' : 'admin.scopeInvalid'],
      [organisation, role.value !== 'partner' || organisation.value.trim() !== '', 'form.required'],
    ];
    for (const [input, ok] of checks) setInvalid(input, !ok);
    const failed = checks.find(([, ok]) => !ok);
    if (failed) {
      notice.show('error', { key: failed[2] });
      failed[0].focus();
      return;
    }
    void whileBusy(form, async () => {
      notice.show('info', { key: 'form.busy' });
      try {
        const user = await admin.createUser({
          email: email.value.trim(),
          display_name: name.value.trim(),
          role: role.value as RoleName,
          scope: scopeValue,
          ...(role.value === 'partner' ? { organisation: organisation.value.trim() } : {}),
          ...(password.value ? { password: password.value } : {}),
        });
        table.replace(user);
        notice.show('success', { key: 'admin.userAdded', params: { email: user.email } });
        form.reset();
        scope.value = 'all';
        showOrganisation();
      } catch (error) {
        notice.error(error);
      }
    });
  });
}
