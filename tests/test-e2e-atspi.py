#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# End-to-end test through the accessibility tree, the way a screen reader user (or an
# AT-SPI driven checker) works the app: a real astra-tokens process, a real astra-sim on
# loopback, and nothing but AT-SPI in between. Controls are found by role and accessible
# name, pressed with their "click" action (check and radio buttons: "toggle") and filled
# through EditableText. What the app sent is checked against the simulator's own answers.
#
# Run by Debian's /usr/bin/python3 (pyatspi lives there), inside its own private session
# (build-aux/with-test-session: D-Bus, keyring, Xvfb), with GTK_A11Y=atspi. Environment:
#   ASTRA_SIM_PROGRAM     the built astra-sim
#   ASTRA_TOKENS_PROGRAM  the built astra-tokens
#   ASTRA_E2E_DUMP        optional file: the accessible tree of every window opened is
#                         written there, for debugging.
#
# Speaks TAP. Every wait is bounded; both processes are always stopped.

import datetime
import json
import os
import re
import select
import signal
import subprocess
import sys
import time
import traceback
import urllib.request

import pyatspi

STEP_TIMEOUT = 20.0      # seconds for any one thing to appear
POLL = 0.1

# Roles a person operates; each one must have a name.
NAMED_ROLES = {
    pyatspi.ROLE_PUSH_BUTTON,
    pyatspi.ROLE_TOGGLE_BUTTON,
    pyatspi.ROLE_CHECK_BOX,
    pyatspi.ROLE_RADIO_BUTTON,
    pyatspi.ROLE_ENTRY,
    pyatspi.ROLE_PASSWORD_TEXT,
    pyatspi.ROLE_COMBO_BOX,
    pyatspi.ROLE_SPIN_BUTTON,
    pyatspi.ROLE_SLIDER,
    pyatspi.ROLE_MENU_ITEM,
    pyatspi.ROLE_CHECK_MENU_ITEM,
    pyatspi.ROLE_RADIO_MENU_ITEM,
    pyatspi.ROLE_LINK,
    pyatspi.ROLE_PAGE_TAB,
    pyatspi.ROLE_TABLE,
    pyatspi.ROLE_TREE_TABLE,
    pyatspi.ROLE_LIST_BOX,
}
# Rows a person picks (sidebar organizations); checked where they have actions.
ACTING_ROW_ROLES = {pyatspi.ROLE_LIST_ITEM}
# pyatspi spells the "switch" role differently across versions.
for _name in ('ROLE_SWITCH', 'ROLE_TOGGLE_SWITCH'):
    if hasattr(pyatspi, _name):
        NAMED_ROLES.add(getattr(pyatspi, _name))


class Failure(Exception):
    pass


# ------------------------------------------------------------------------------------------
# TAP
# ------------------------------------------------------------------------------------------

_test_number = 0


def tap_ok(what):
    global _test_number
    _test_number += 1
    print(f'ok {_test_number} - {what}', flush=True)


def tap_not_ok(what, why):
    global _test_number
    _test_number += 1
    print(f'not ok {_test_number} - {what}', flush=True)
    for line in str(why).splitlines():
        print(f'# {line}', flush=True)


def diag(text):
    for line in str(text).splitlines():
        print(f'# {line}', flush=True)


# ------------------------------------------------------------------------------------------
# The accessibility tree
# ------------------------------------------------------------------------------------------

def role_name(acc):
    try:
        return acc.getRoleName()
    except Exception:
        return '?'


def safe_role(acc):
    """None for an object that went away while we looked (a row rebuilt under us): AT-SPI
    then answers "The application no longer exists" for it, though the app is fine."""
    try:
        return acc.getRole()
    except Exception:
        return None


def safe_name(acc):
    try:
        return acc.name or ''
    except Exception:
        return ''


def states(acc):
    try:
        return acc.getState()
    except Exception:
        return None


def is_showing(acc):
    """On screen. GTK 4.8 sets SHOWING only on windows; a widget of a hidden stack page
    is still VISIBLE, but it has no size."""
    st = states(acc)
    if st is None or not st.contains(pyatspi.STATE_VISIBLE):
        return False
    if st.contains(pyatspi.STATE_SHOWING):
        return True
    try:
        extents = acc.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
    except Exception:
        return True         # no Component: nothing says it is hidden
    return extents.width > 0 and extents.height > 0


def children(acc):
    try:
        n = acc.childCount
    except Exception:
        return []
    result = []
    for i in range(n):
        try:
            child = acc.getChildAtIndex(i)
        except Exception:
            child = None
        if child is not None:
            result.append(child)
    return result


def walk(acc, showing_only=True, depth=0, max_depth=60):
    """Yields (accessible, depth), skipping subtrees that are not on screen and objects
    that no longer exist."""
    if depth > max_depth or safe_role(acc) is None:
        return
    yield acc, depth
    for child in children(acc):
        if showing_only and not is_showing(child):
            continue
        yield from walk(child, showing_only, depth + 1, max_depth)


def find_all(root, role=None, name=None, showing_only=True, pred=None):
    found = []
    for acc, _ in walk(root, showing_only):
        if role is not None and safe_role(acc) != role:
            continue
        if name is not None and safe_name(acc) != name:
            continue
        if pred is not None and not pred(acc):
            continue
        found.append(acc)
    return found


def is_unnamed(name):
    """GTK 4.8 falls back to the widget's type name ("GtkImage") when nothing names it."""
    name = name.strip()
    return not name or re.fullmatch(r'(Gtk|Adw|Astra)[A-Z][A-Za-z]+', name) is not None


def is_garbled(name):
    """GTK 4.8 reads a mnemonic button as "_Save Save" and a check box in a titled row as
    "Save Save": a name nobody can match with what is on screen."""
    words = name.split()
    if any(w.startswith('_') for w in words):
        return True
    half = len(words) // 2
    return len(words) % 2 == 0 and half > 0 and words[:half] == words[half:]


def pointer_click(x, y):
    """A primary-button click at @x, @y of the X screen, through the XTEST extension
    (libXtst by ctypes: neither python3-xlib nor xdotool is at hand)."""
    import ctypes
    x11 = ctypes.CDLL('libX11.so.6')
    xtst = ctypes.CDLL('libXtst.so.6')
    x11.XOpenDisplay.restype = ctypes.c_void_p
    display = x11.XOpenDisplay(None)
    if not display:
        raise Failure('no X display to click on')
    display = ctypes.c_void_p(display)
    try:
        xtst.XTestFakeMotionEvent(display, -1, x, y, 0)
        x11.XSync(display, 0)
        time.sleep(0.2)
        xtst.XTestFakeButtonEvent(display, 1, 1, 0)
        x11.XSync(display, 0)
        time.sleep(0.1)
        xtst.XTestFakeButtonEvent(display, 1, 0, 0)
        x11.XSync(display, 0)
    finally:
        x11.XCloseDisplay(display)


def pointer_move(x, y):
    import ctypes
    x11 = ctypes.CDLL('libX11.so.6')
    xtst = ctypes.CDLL('libXtst.so.6')
    x11.XOpenDisplay.restype = ctypes.c_void_p
    display = x11.XOpenDisplay(None)
    if display:
        display = ctypes.c_void_p(display)
        xtst.XTestFakeMotionEvent(display, -1, x, y, 0)
        x11.XSync(display, 0)
        x11.XCloseDisplay(display)


def in_other_stack_pages(ancestors, other_ancestors):
    """Whether two controls (given by their ancestors, nearest first) sit in different
    pages of one stack: only one page of a stack is on screen, and GTK 4.8 marks no widget
    "showing", so both look visible."""
    common = next((a for a in ancestors if a in other_ancestors), None)
    if common is None:
        return False
    below = ancestors[ancestors.index(common) - 1] if ancestors.index(common) > 0 else None
    other_below = (other_ancestors[other_ancestors.index(common) - 1]
                   if other_ancestors.index(common) > 0 else None)
    return (below is not None and other_below is not None
            and safe_name(below) == 'GtkStackPage' and safe_name(other_below) == 'GtkStackPage')


def describe(acc):
    extra = ''
    try:
        desc = acc.description
        if desc:
            extra = f' (description {desc!r})'
    except Exception:
        pass
    return f'{role_name(acc)} {safe_name(acc)!r}{extra}'


def describe_fully(acc):
    extra = []
    try:
        action = acc.queryAction()
        extra.append('actions ' + ','.join(action.getName(i) for i in range(action.nActions)))
    except Exception:
        pass
    try:
        extra.append('interfaces ' + ','.join(pyatspi.listInterfaces(acc)))
    except Exception:
        pass
    try:
        extra.append('states ' + ','.join(pyatspi.stateToString(s)
                                          for s in acc.getState().getStates()))
    except Exception:
        pass
    return describe(acc) + ' [' + '; '.join(extra) + ']'


def dump_tree(root, title, showing_only=True):
    lines = [f'=== {title}']
    for acc, depth in walk(root, showing_only):
        lines.append('  ' * depth + describe_fully(acc))
    return '\n'.join(lines)


def wait_for(pred, what, timeout=STEP_TIMEOUT):
    deadline = time.monotonic() + timeout
    last_error = None
    while True:
        try:
            result = pred()
            if result:
                return result
        except Exception as e:      # objects vanish while we look at them
            last_error = e
        if time.monotonic() > deadline:
            msg = f'timed out after {timeout:.0f} s waiting for {what}'
            if last_error is not None:
                msg += f' (last error: {last_error!r})'
            raise Failure(msg)
        time.sleep(POLL)


def click(acc):
    """Runs the accessible's "click" (or first) action, as an AT would."""
    action = acc.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    for preferred in ('click', 'activate', 'press', 'toggle'):
        if preferred in names:
            action.doAction(names.index(preferred))
            return
    if not names:
        raise Failure(f'{describe(acc)} has no action')
    action.doAction(0)


def action_names(acc):
    try:
        action = acc.queryAction()
    except Exception:
        return []
    return [action.getName(i) for i in range(action.nActions)]


def is_checked(acc):
    st = states(acc)
    return st is not None and st.contains(pyatspi.STATE_CHECKED)


def set_text(acc, text):
    acc.queryEditableText().setTextContents(text)


def get_text(acc):
    t = acc.queryText()
    return t.getText(0, t.characterCount)


# ------------------------------------------------------------------------------------------
# Processes
# ------------------------------------------------------------------------------------------

class Processes:
    def __init__(self):
        self.sim = None
        self.others = []
        self.app = None
        # The Astra CLI configuration the app reads (the file is written by the import step).
        self.astrarc = os.path.join(os.environ.get('HOME', '/tmp'), 'e2e-astrarc')

    def start_sim(self, org_name='Acme Rockets', databases=40):
        """Starts a server for the organization @org_name; returns its URL and token. The
        first one is self.sim; others (the .astrarc profile's) are kept in self.others."""
        program = os.environ['ASTRA_SIM_PROGRAM']
        sim = subprocess.Popen(
            # More databases than one page of GET /v2/databases (25) holds.
            [program, '--foreground', '--tokens', '3', '--databases', str(databases),
             '--org-name', org_name],
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL)
        if self.sim is None:
            self.sim = sim
        else:
            self.others.append(sim)
        # Raw reads: a buffered readline would swallow the second line and select()
        # would then wait for output that never comes.
        fd = sim.stdout.fileno()
        buffer = b''
        deadline = time.monotonic() + STEP_TIMEOUT
        while buffer.count(b'\n') < 2:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Failure('astra-sim did not print its URL and token')
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                raise Failure(f'astra-sim exited early (status {sim.poll()})')
            buffer += chunk
        values = {}
        for line in buffer.decode().splitlines()[:2]:
            key, _, value = line.strip().partition('=')
            values[key] = value
        return values['ASTRA_API_URL'], values['ASTRA_DB_APPLICATION_TOKEN']

    def start_app(self):
        program = os.environ['ASTRA_TOKENS_PROGRAM']
        env = dict(os.environ)
        # No environment organization: the app must start on its welcome page.
        for key in ('ASTRA_API_URL', 'ASTRA_DB_APPLICATION_TOKEN', 'ASTRA_TOKENS_BENCHMARK'):
            env.pop(key, None)
        env['GTK_A11Y'] = 'atspi'
        env['ASTRARC'] = self.astrarc
        self.app = subprocess.Popen([program], env=env, stdin=subprocess.DEVNULL)
        return self.app.pid

    def stop(self):
        procs = [self.app, self.sim] + self.others
        for proc in procs:
            if proc is None or proc.poll() is not None:
                continue
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            if proc is None:
                continue
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        for proc in [self.sim] + self.others:
            if proc is not None and proc.stdout is not None:
                proc.stdout.close()


def api_get(url, token, path):
    """What the simulator answers, straight over HTTP: the ground truth to compare with."""
    request = urllib.request.Request(url + path, headers={'Authorization': f'Bearer {token}'})
    with urllib.request.urlopen(request, timeout=STEP_TIMEOUT) as response:
        return json.load(response)


def api_post(url, token, path, body):
    request = urllib.request.Request(url + path, data=json.dumps(body).encode(), method='POST',
                                     headers={'Authorization': f'Bearer {token}',
                                              'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=STEP_TIMEOUT) as response:
        return json.load(response)


def member(obj, name, default=None):
    """A JSON member by name, whatever its case: astra-sim writes "Name" and "Policy",
    tests/foreign-astra.py the OpenAPI's "name" and "policy"."""
    for key, value in obj.items():
        if key.lower() == name.lower():
            return value
    return default


def api_roles(url, token):
    """The organization's roles as (name, policy) pairs; a policy sent as a JSON string
    (tests/foreign-astra.py does) is decoded."""
    roles = []
    for role in api_get(url, token, '/organizations/roles'):
        policy = member(role, 'Policy', {})
        if isinstance(policy, str):
            policy = json.loads(policy)
        roles.append((member(role, 'Name'), policy))
    return roles


def process_state(pid):
    """Whether a process that AT-SPI calls gone still runs, and what its threads wait on."""
    lines = []
    try:
        for tid in sorted(os.listdir(f'/proc/{pid}/task'), key=int):
            with open(f'/proc/{pid}/task/{tid}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
            with open(f'/proc/{pid}/task/{tid}/comm') as f:
                comm = f.read().strip()
            with open(f'/proc/{pid}/task/{tid}/wchan') as f:
                wchan = f.read().strip()
            lines.append(f'  thread {tid} {comm}: state {fields[0]}, '
                         f'cpu {int(fields[11]) + int(fields[12])} ticks, waits in {wchan}')
    except OSError as e:
        lines.append(f'  ({e})')
    return 'astra-tokens is still running:\n' + '\n'.join(lines)


def find_application(pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for app in children(desktop):
        try:
            if app.get_process_id() == pid:
                return app
        except Exception:
            continue
    return None


# ------------------------------------------------------------------------------------------
# The scenario
# ------------------------------------------------------------------------------------------

class Scenario:
    def __init__(self, procs):
        self.procs = procs
        self.app = None
        self.pid = None
        self.url = None
        self.token = None
        self.audited = set()
        self.unnamed = []
        dump = os.environ.get('ASTRA_E2E_DUMP')
        self.dump_file = open(dump, 'w') if dump else None

    # -- helpers bound to the app ----------------------------------------------------------

    def windows(self):
        return [w for w in children(self.app) if is_showing(w)]

    def window(self, title):
        return wait_for(lambda: next((w for w in self.windows() if safe_name(w) == title), None),
                        f'a window titled {title!r} (have {[safe_name(w) for w in self.windows()]})')

    def window_gone(self, title):
        wait_for(lambda: all(safe_name(w) != title for w in self.windows()),
                 f'the window {title!r} to close')

    def find(self, root, role, name, what=None, timeout=STEP_TIMEOUT):
        def look():
            found = find_all(root, role, name)
            return found[0] if found else None
        try:
            return wait_for(look, what or f'{role} {name!r}', timeout)
        except Failure:
            self.dump(root, f'while looking for {role} {name!r}')
            raise

    def dump(self, root, title):
        if self.dump_file is not None:
            self.dump_file.write(dump_tree(root, title) + '\n')
            self.dump_file.flush()

    def audit(self, root, title):
        """Every control a person operates has a name: collects those that have none."""
        self.dump(root, title)
        for acc in find_all(root):
            if safe_role(acc) in NAMED_ROLES and is_unnamed(safe_name(acc)):
                path = []
                parent = acc
                for _ in range(4):
                    try:
                        parent = parent.parent
                    except Exception:
                        break
                    if parent is None:
                        break
                    path.append(describe(parent))
                self.unnamed.append(f'{title}: {describe(acc)} inside {" / ".join(path)}')
            name = safe_name(acc)
            if (safe_role(acc) in ACTING_ROW_ROLES and is_unnamed(name)
                    and [a for a in action_names(acc) if a]):
                self.unnamed.append(f'{title}: a row that acts has no name: {describe(acc)}')
            if safe_role(acc) in NAMED_ROLES and is_garbled(name):
                self.unnamed.append(f'{title}: {describe(acc)} has a garbled name')
        self.audit_duplicates(root, title)

    ROW_ROLES = (pyatspi.ROLE_TABLE_ROW, pyatspi.ROLE_LIST_ITEM)

    def audit_duplicates(self, root, title):
        """No two controls in one window share a name, unless they sit in different rows
        (the row then tells them apart) or one is inside the other (a menu button and the
        toggle button GTK builds into it)."""
        seen = {}
        for acc in find_all(root):
            role = safe_role(acc)
            if role not in NAMED_ROLES or role in (pyatspi.ROLE_TABLE, pyatspi.ROLE_TREE_TABLE,
                                                   pyatspi.ROLE_LIST_BOX):
                continue
            name = safe_name(acc)
            if is_unnamed(name):
                continue
            ancestors = []
            row = None
            parent = acc
            for _ in range(60):
                try:
                    parent = parent.parent
                except Exception:
                    parent = None
                if parent is None:
                    break
                ancestors.append(parent)
                if row is None and safe_role(parent) in self.ROW_ROLES:
                    row = parent
            for other, other_row, other_ancestors in seen.get(name, []):
                if other in ancestors or acc in other_ancestors:
                    continue
                if in_other_stack_pages(ancestors, other_ancestors):
                    continue
                if row is not None and other_row is not None and row != other_row:
                    continue
                self.unnamed.append(f'{title}: two controls named {name!r}: '
                                    f'{describe(other)} and {describe(acc)}')
            seen.setdefault(name, []).append((acc, row, ancestors))

    # -- steps ------------------------------------------------------------------------------

    def step_start(self):
        self.url, self.token = self.procs.start_sim()
        self.pid = self.procs.start_app()
        self.app = wait_for(lambda: find_application(self.pid), 'the application on the AT-SPI bus')

    def step_welcome(self):
        main = self.window('Astra Tokens')
        self.main = main
        button = self.find(main, pyatspi.ROLE_PUSH_BUTTON, 'Connect an Organization…')
        self.audit(main, 'welcome page')
        click(button)

    def text_field(self, root, name):
        """An editable field by name; GTK 4.8 gives entry rows the role "text"."""
        def look():
            found = find_all(root, name=name, pred=lambda a: safe_role(a) in (
                pyatspi.ROLE_TEXT, pyatspi.ROLE_ENTRY, pyatspi.ROLE_PASSWORD_TEXT)
                and states(a).contains(pyatspi.STATE_EDITABLE))
            return found[0] if found else None
        try:
            return wait_for(look, f'an editable field {name!r}')
        except Failure:
            self.dump(root, f'while looking for the field {name!r}')
            raise

    def choose(self, root, name, what):
        """Picks the radio choice @name the way an AT does: by its action. Every choice on
        offer must be a named radio button with an action."""
        def look():
            found = find_all(root, pyatspi.ROLE_RADIO_BUTTON, name)
            return found[0] if found else None
        try:
            choice = wait_for(look, f'the {what} choice {name!r} as a radio button')
        except Failure:
            self.dump(root, f'while looking for the radio button {name!r}')
            raise
        names = action_names(choice)
        if not any(a in names for a in ('click', 'toggle')):
            raise Failure(f'the {what} choice {name!r} has no click or toggle action ({names})')
        click(choice)
        wait_for(lambda: is_checked(choice), f'the {what} choice {name!r} to be selected')
        return choice

    def check_choices(self, root, names, what):
        """Every one of @names is on offer as a named radio button with an action, and
        exactly one of them is selected."""
        radios = {safe_name(r): r for r in find_all(root, pyatspi.ROLE_RADIO_BUTTON)}
        missing = [n for n in names if n not in radios]
        if missing:
            raise Failure(f'{what}: no radio button for {missing} (have {sorted(radios)})')
        for n in names:
            if not any(a in action_names(radios[n]) for a in ('click', 'toggle')):
                raise Failure(f'{what}: the choice {n!r} has no click or toggle action: {describe_fully(radios[n])}')
        selected = [n for n in names if is_checked(radios[n])]
        if len(selected) != 1:
            raise Failure(f'{what}: {selected} are selected, not exactly one')
        return selected[0]

    def stored_token(self, description):
        clients = api_get(self.url, self.token, '/clientIdSecrets')['clients']
        found = [c for c in clients if c.get('description') == description]
        if len(found) != 1:
            raise Failure(f'the simulator holds {len(found)} tokens described {description!r}')
        return found[0]

    def sensitive(self, acc, what):
        wait_for(lambda: states(acc).contains(pyatspi.STATE_SENSITIVE), f'{what} to be enabled')

    def step_connect(self):
        dialog = self.window('Connect an Organization')
        set_text(self.text_field(dialog, 'Token'), self.token)
        custom = self.find(dialog, pyatspi.ROLE_PUSH_BUTTON, 'Custom API URL')
        click(custom)
        wait_for(lambda: states(custom).contains(pyatspi.STATE_PRESSED) or states(custom).contains(pyatspi.STATE_CHECKED), '"Custom API URL" checked')
        url = self.text_field(dialog, 'API URL')
        set_text(url, self.url)
        if get_text(url) != self.url:
            raise Failure(f'the API URL field reads {get_text(url)!r}')
        self.audit(dialog, 'connect dialog')
        connect = self.find(dialog, pyatspi.ROLE_PUSH_BUTTON, 'Connect')
        self.sensitive(connect, 'Connect')
        click(connect)
        self.window_gone('Connect an Organization')

    def token_rows(self):
        """The token table's rows, each as the list of its cells' texts."""
        rows = []
        for row in find_all(self.table, pyatspi.ROLE_TABLE_ROW):
            cells = [c for c in children(row) if c.getRole() == pyatspi.ROLE_TABLE_CELL]
            if not cells:
                continue            # the header row
            texts = []
            for cell in cells:
                labels = find_all(cell, pyatspi.ROLE_LABEL)
                texts.append(safe_name(labels[0]) if labels else '')
            if texts[0]:
                rows.append((row, texts))
        return rows

    def step_organization(self):
        main = self.main
        sidebar = self.find(main, pyatspi.ROLE_LIST, 'Organizations')
        wait_for(lambda: find_all(sidebar, name='Acme Rockets'),
                 'the organization "Acme Rockets" in the sidebar')
        row = self.find(sidebar, pyatspi.ROLE_LIST_ITEM, 'Acme Rockets',
                        'the sidebar row named after the organization')
        wait_for(lambda: states(row).contains(pyatspi.STATE_SELECTED),
                 'the organization shown to be the selected sidebar row')
        self.table = self.find(main, pyatspi.ROLE_TREE_TABLE, 'Tokens')
        rows = wait_for(lambda: [r for r in self.token_rows() if 'Organization Administrator' in r[1]],
                        'a token row with the role "Organization Administrator"')
        self.admin_client_id = rows[0][1][0]
        self.audit(main, 'tokens page')
        self.n_rows = len(self.token_rows())
        if self.n_rows < 2:
            raise Failure(f'only {self.n_rows} token rows are readable')

    def step_search(self):
        search = self.find(self.main, pyatspi.ROLE_ENTRY, 'Search Tokens')
        set_text(search, 'Organization Administrator')
        wait_for(lambda: len(self.token_rows()) < self.n_rows and all(
                     'Organization Administrator' in texts for _, texts in self.token_rows()),
                 'the search to leave only Organization Administrator tokens')
        set_text(search, '')
        wait_for(lambda: len(self.token_rows()) == self.n_rows, 'every row back after clearing')

    MENU_ITEM_ROLES = (pyatspi.ROLE_MENU_ITEM, pyatspi.ROLE_RADIO_MENU_ITEM,
                       pyatspi.ROLE_CHECK_MENU_ITEM)

    def choose_sort(self, item_name):
        """Opens the "Sort Tokens" menu and runs its item @item_name, as an AT would."""
        buttons = [b for role in (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON)
                   for b in find_all(self.main, role, 'Sort Tokens')
                   if action_names(b)]
        if not buttons:
            raise Failure('no "Sort Tokens" button to press')
        click(buttons[0])
        item = wait_for(lambda: next((i for w in self.windows() for role in self.MENU_ITEM_ROLES
                                      for i in find_all(w, role, item_name)), None),
                        f'the sort menu item {item_name!r}')
        for w in self.windows():
            for m in find_all(w, pyatspi.ROLE_MENU):
                self.audit(m, 'sort menu')
        click(item)

    def column_headers(self):
        """The token table's column headers (GTK 4.8: fillers in its first row)."""
        for row in find_all(self.table, pyatspi.ROLE_TABLE_ROW):
            if not any(safe_role(c) == pyatspi.ROLE_TABLE_CELL for c in children(row)):
                return [c for c in children(row) if is_showing(c)]
        return []

    def header_name(self, header):
        name = safe_name(header)
        if not is_unnamed(name):
            return name
        labels = find_all(header, pyatspi.ROLE_LABEL)
        return safe_name(labels[0]) if labels else ''

    def step_column_headers(self):
        headers = wait_for(self.column_headers, 'the token table\'s column headers')
        names = [self.header_name(h) for h in headers]
        for header, name in zip(headers, names):
            if is_unnamed(name):
                raise Failure(f'a column header has no name: {describe_fully(header)}')
        if 'In Keyring' not in names:
            raise Failure(f'no "In Keyring" column header among {names!r}')
        if len(set(names)) != len(names):
            raise Failure(f'column headers share a name: {names!r}')

    def sort_menu_choices(self):
        """Opens the "Sort Tokens" menu and returns the names of its checked items; closes it
        again by choosing the checked column (which sorts as before)."""
        buttons = [b for role in (pyatspi.ROLE_PUSH_BUTTON, pyatspi.ROLE_TOGGLE_BUTTON)
                   for b in find_all(self.main, role, 'Sort Tokens')
                   if action_names(b)]
        click(buttons[0])

        def items():
            return [i for w in self.windows() for role in self.MENU_ITEM_ROLES
                    for i in find_all(w, role)
                    if safe_name(i) in ('Client ID', 'Ascending')]
        wait_for(lambda: len(items()) == 2, 'the sort menu')
        time.sleep(0.3)
        checked = [safe_name(i) for w in self.windows() for role in self.MENU_ITEM_ROLES
                   for i in find_all(w, role)
                   if states(i) is not None and states(i).contains(pyatspi.STATE_CHECKED)]
        column = [i for w in self.windows() for role in self.MENU_ITEM_ROLES
                  for i in find_all(w, role)
                  if safe_name(i) in checked and safe_name(i) not in ('Ascending', 'Descending')]
        # Nothing checked: any column closes the menu, and sorts; the caller fails anyway.
        click(column[0] if column else items()[0])
        wait_for(lambda: not items(), 'the sort menu to close')
        return sorted(checked)

    def click_header(self, name):
        """A pointer click on a column header, as a person with a mouse sorts."""
        header = next((h for h in self.column_headers() if self.header_name(h) == name), None)
        if header is None:
            raise Failure(f'no column header {name!r}')
        ext = header.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        frame = self.main.queryComponent().getExtents(pyatspi.WINDOW_COORDS)
        # GTK 4.8 knows no screen coordinates: where the X window is, and how wide the
        # shadow around the frame (its client-side decoration), ask the X server.
        info = subprocess.run(['xwininfo', '-root', '-tree'], capture_output=True,
                              text=True, timeout=10).stdout
        title = re.escape(safe_name(self.main))
        found = [tuple(int(v) for v in m) for m in re.findall(
            rf'"{title}":.*?\s(\d+)x(\d+)[+-]-?\d+[+-]-?\d+\s+\+(-?\d+)\+(-?\d+)', info)]
        if not found:
            raise Failure(f'xwininfo does not tell where the window is: {info!r}')
        width, height, left, top = max(found)
        geometry = {'Absolute upper-left X': left, 'Absolute upper-left Y': top,
                    'Width': width, 'Height': height}
        x = (geometry['Absolute upper-left X'] + (geometry['Width'] - frame.width) // 2
             + ext.x + ext.width // 2)
        y = (geometry['Absolute upper-left Y'] + (geometry['Height'] - frame.height) // 2
             + ext.y + ext.height // 2)
        diag(f'clicking the {name!r} header at {x},{y} (header {ext.x},{ext.y} '
             f'{ext.width}x{ext.height}, frame {frame.width}x{frame.height}, window {geometry})')
        pointer_click(x, y)
        pointer_move(0, 0)      # no hover left on the table for the steps after

    def step_sort_by_header(self):
        def client_ids():
            return [texts[0] for _, texts in self.token_rows()]

        self.click_header('Client ID')
        wait_for(lambda: client_ids() == sorted(client_ids(), key=str.casefold),
                 'the rows in ascending client id order after a header click')
        checked = self.sort_menu_choices()
        if checked != ['Ascending', 'Client ID']:
            raise Failure(f'after a click on the Client ID header the sort menu checks '
                          f'{checked!r}, not Client ID and Ascending')
        self.click_header('Client ID')
        wait_for(lambda: client_ids() == sorted(client_ids(), key=str.casefold, reverse=True),
                 'the rows in descending client id order after a second header click')
        checked = self.sort_menu_choices()
        if checked != ['Client ID', 'Descending']:
            raise Failure(f'after a second click on the Client ID header the sort menu checks '
                          f'{checked!r}, not Client ID and Descending')
        self.choose_sort('Generated')
        checked = self.sort_menu_choices()
        if checked != ['Descending', 'Generated']:
            raise Failure(f'after choosing Generated the sort menu checks {checked!r}')

    def step_expiring_toggle(self):
        # GTK 4.8 has no toggle button role: a push button with the pressed state.
        button = wait_for(lambda: next((b for role in (pyatspi.ROLE_TOGGLE_BUTTON,
                                                       pyatspi.ROLE_PUSH_BUTTON)
                                        for b in find_all(self.main, role, 'Expiring Soon')), None),
                          'the "Expiring Soon" button')

        def pressed():
            st = states(button)
            return st is not None and (st.contains(pyatspi.STATE_PRESSED)
                                       or st.contains(pyatspi.STATE_CHECKED))
        if pressed():
            raise Failure('"Expiring Soon" is pressed before anyone pressed it')
        # The steps before added, rotated and revoked tokens: count the rows afresh.
        n_rows = len(self.token_rows())
        click(button)
        wait_for(pressed, '"Expiring Soon" to show as pressed')
        wait_for(lambda: len(self.token_rows()) < n_rows, 'only the expiring tokens')
        n_expiring = len(self.token_rows())
        click(button)
        wait_for(lambda: not pressed(), '"Expiring Soon" to show as not pressed')
        # GTK 4.8 builds only the rows on screen, give or take one: a longer list shows
        # (about) as many rows as fit, a short one every row.
        wanted = min(n_rows, self.n_rows)
        wait_for(lambda: len(self.token_rows()) > n_expiring
                 and len(self.token_rows()) >= wanted,
                 f'every row back ({wanted}, have {len(self.token_rows())})')

    def step_sort(self):
        def client_ids():
            return [texts[0] for _, texts in self.token_rows()]

        self.choose_sort('Client ID')
        self.choose_sort('Ascending')
        wait_for(lambda: client_ids() == sorted(client_ids(), key=str.casefold),
                 'the rows in ascending client id order')
        self.choose_sort('Descending')
        wait_for(lambda: client_ids() == sorted(client_ids(), key=str.casefold, reverse=True),
                 'the rows in descending client id order')
        # Back to the first order, newest first, for the steps after.
        self.choose_sort('Generated')
        wait_for(lambda: len(self.token_rows()) == self.n_rows, 'every row after sorting')

    EXPIRY_CHOICES = ('Never', 'In 30 days', 'In 90 days', 'In 365 days', 'On a date')

    def open_generate(self, description):
        click(self.find(self.main, pyatspi.ROLE_PUSH_BUTTON, 'Generate Token'))
        dialog = self.window('Generate Token')
        role = self.find(dialog, pyatspi.ROLE_CHECK_BOX, 'Database Administrator')
        if 'toggle' not in action_names(role):
            raise Failure(f'the role check box has no "toggle" action: {describe_fully(role)}')
        click(role)
        wait_for(lambda: states(role).contains(pyatspi.STATE_CHECKED), 'the role to be ticked')
        set_text(self.text_field(dialog, 'Description'), description)
        default = self.check_choices(dialog, self.EXPIRY_CHOICES, 'Expires')
        if default != 'Never':
            raise Failure(f'the expiry preselected is {default!r}, not the default "Never"')
        return dialog

    def press_generate(self, dialog):
        generate = self.find(dialog, pyatspi.ROLE_PUSH_BUTTON, 'Generate')
        self.sensitive(generate, 'Generate')
        click(generate)

    def step_generate(self):
        dialog = self.open_generate('e2e through AT-SPI')
        choice = self.choose(dialog, 'In 90 days', 'Expires')
        # The row's subtitle is read out as the choice's description.
        if not (choice.description or '').startswith('Until '):
            raise Failure(f'"In 90 days" is described as {choice.description!r}, not by its day')
        if self.check_choices(dialog, self.EXPIRY_CHOICES, 'Expires') != 'In 90 days':
            raise Failure('choosing "In 90 days" left another expiry selected')
        self.audit(dialog, 'generate dialog')
        self.generated_at = datetime.datetime.now(datetime.timezone.utc)
        self.press_generate(dialog)

    def step_new_token(self):
        self.close_new_token(audit=True)
        wait_for(lambda: [r for r in self.token_rows() if 'e2e through AT-SPI' in r[1]],
                 'the new token in the list')
        # What the simulator stored: an expiry 90 days after the token was generated.
        stored = self.stored_token('e2e through AT-SPI')
        if not stored.get('tokenExpiry'):
            raise Failure(f'the token was stored without an expiry: {stored}')
        expiry = datetime.datetime.fromisoformat(stored['tokenExpiry'].replace('Z', '+00:00'))
        ahead = expiry - self.generated_at
        if not datetime.timedelta(days=89) < ahead < datetime.timedelta(days=91):
            raise Failure(f'the token expires {stored["tokenExpiry"]}, {ahead} after it was '
                          'generated, not 90 days')

    def step_generate_on_date(self):
        dialog = self.open_generate('e2e expiring on a date')
        self.choose(dialog, 'On a date', 'Expires')
        day = datetime.date.today() + datetime.timedelta(days=45)
        field = self.text_field(dialog, 'Expiry Date')
        set_text(field, day.isoformat())
        if get_text(field) != day.isoformat():
            raise Failure(f'the Expiry Date field reads {get_text(field)!r}')
        self.audit(dialog, 'generate dialog, expiry on a date')
        self.press_generate(dialog)
        self.close_new_token(audit=False)
        stored = self.stored_token('e2e expiring on a date')
        if not stored.get('tokenExpiry'):
            raise Failure(f'the token was stored without an expiry: {stored}')
        expiry = datetime.datetime.fromisoformat(stored['tokenExpiry'].replace('Z', '+00:00'))
        # The end of the chosen day, local time.
        if expiry.astimezone().date() != day:
            raise Failure(f'the token expires {stored["tokenExpiry"]}, not at the end of {day}')

    def close_new_token(self, audit):
        dialog = self.window('Token Generated')
        for title in ('Client ID', 'Client Secret', 'Token'):
            self.find(dialog, pyatspi.ROLE_LIST_ITEM, title, f'the row {title!r}')
            self.find(dialog, pyatspi.ROLE_PUSH_BUTTON, f'Copy {title}')
        if audit:
            self.audit(dialog, 'new-token dialog')
            click(self.find(dialog, pyatspi.ROLE_PUSH_BUTTON, 'Copy Client ID'))
        done = self.find(dialog, pyatspi.ROLE_PUSH_BUTTON, 'Done')
        self.sensitive(done, 'Done')
        click(done)
        self.window_gone('Token Generated')

    def step_revoke(self):
        rows = [r for r in self.token_rows() if 'e2e through AT-SPI' in r[1]]
        row, texts = rows[0]
        client_id = texts[0]
        buttons = [b for b in find_all(row, pyatspi.ROLE_PUSH_BUTTON, 'Token Actions')
                   if 'click' in action_names(b)]
        if not buttons:
            raise Failure(f'no "Token Actions" button in the row of {client_id}')
        click(buttons[0])
        item = wait_for(lambda: next((i for w in self.windows() for i in find_all(
                            w, pyatspi.ROLE_MENU_ITEM, 'Revoke…')), None),
                        'the menu item "Revoke…"')
        for w in self.windows():
            for m in find_all(w, pyatspi.ROLE_MENU):
                self.audit(m, 'token row menu')
        click(item)
        confirm = wait_for(lambda: next((b for w in self.windows() for b in find_all(
                               w, pyatspi.ROLE_PUSH_BUTTON, 'Revoke')), None),
                           'a "Revoke" confirmation button')
        for w in self.windows():
            if w.getRole() in (pyatspi.ROLE_DIALOG, pyatspi.ROLE_ALERT) or find_all(w, pyatspi.ROLE_PUSH_BUTTON, 'Revoke'):
                self.audit(w, 'revoke confirmation')
        click(confirm)
        wait_for(lambda: all(texts[0] != client_id for _, texts in self.token_rows()),
                 f'the revoked token {client_id} to leave the list')

    def step_roles(self):
        click(self.find(self.main, pyatspi.ROLE_PAGE_TAB, 'Roles'))
        roles = self.find(self.main, pyatspi.ROLE_LIST, 'Roles')

        def role_index():
            items = [c for c in children(roles) if c.getRole() == pyatspi.ROLE_LIST_ITEM]
            for i, item in enumerate(items):
                if find_all(item, pyatspi.ROLE_LABEL, 'Database Administrator'):
                    return (i, item)
            return None
        index, item = wait_for(role_index, 'the role "Database Administrator" in the roles list')
        # Choosing a row the way an AT does: through the list's Selection.
        roles.querySelection().selectChild(index)
        details = self.main

        def shows_policy():
            # The name twice: in the list and as the details' heading.
            named = find_all(details, pyatspi.ROLE_LABEL, 'Database Administrator')
            tables = find_all(details, pyatspi.ROLE_TABLE, 'Actions')
            return (len(named) >= 2 and find_all(details, pyatspi.ROLE_LIST_ITEM, 'Resources')
                    and tables and find_all(tables[0], pyatspi.ROLE_LABEL))
        wait_for(lambda: states(item).contains(pyatspi.STATE_SELECTED),
                 'the role "Database Administrator" to be selected')
        wait_for(shows_policy, 'the policy (description, actions) of the selected role')
        actions = find_all(find_all(details, pyatspi.ROLE_TABLE, 'Actions')[0], pyatspi.ROLE_LABEL)
        if not actions:
            raise Failure('the Actions table of the role lists nothing')
        self.audit(self.main, 'roles page')


    PRESETS = ('Read Only', 'Read and Write', 'Administrator', 'Custom')

    def open_role_editor(self):
        buttons = [b for b in find_all(self.main, pyatspi.ROLE_PUSH_BUTTON, 'New Custom Role…')
                   if states(b).contains(pyatspi.STATE_SENSITIVE)]
        if not buttons:
            raise Failure('no "New Custom Role…" button on the roles page')
        click(buttons[0])
        return self.window('New Role')

    def step_role_editor(self):
        dialog = self.open_role_editor()
        self.text_field(dialog, 'Name')
        wait_for(lambda: len(find_all(dialog, pyatspi.ROLE_CHECK_BOX)) > 0,
                 'the actions of the new role to be listed as check boxes')
        time.sleep(0.5)
        self.audit(dialog, 'role editor')
        click(self.find(dialog, pyatspi.ROLE_PUSH_BUTTON, 'Cancel'))
        self.window_gone('New Role')

    def step_scoped_role(self):
        # The organization's databases as the simulator lists them: all pages of them.
        databases = api_get(self.url, self.token, '/databases?limit=100')
        names = [d['info']['name'] for d in databases]
        if len(names) <= 25:
            raise Failure(f'the simulator lists {len(names)} databases, not more than a page')
        target = databases[-1]
        org_id = api_get(self.url, self.token, '/currentOrg')['id']

        dialog = self.open_role_editor()
        set_text(self.text_field(dialog, 'Name'), 'e2e scoped role')
        wait_for(lambda: len(find_all(dialog, pyatspi.ROLE_RADIO_BUTTON)) >= len(names),
                 f'the {len(names)} databases to be listed as radio buttons')
        self.check_choices(dialog, names, 'Database')
        self.find(dialog, pyatspi.ROLE_ENTRY, 'Search databases')
        self.choose(dialog, target['info']['name'], 'Database')
        if self.check_choices(dialog, names, 'Database') != target['info']['name']:
            raise Failure(f'choosing {target["info"]["name"]!r} left another database selected')
        if self.check_choices(dialog, self.PRESETS, 'Permissions') != 'Read Only':
            raise Failure('a new role does not start as "Read Only"')
        self.choose(dialog, 'Read and Write', 'Permissions')
        write = self.find(dialog, pyatspi.ROLE_CHECK_BOX, 'Write table data')
        wait_for(lambda: is_checked(write), '"Read and Write" to tick "Write table data"')
        self.audit(dialog, 'role editor, scoped to a database')
        save = self.find(dialog, pyatspi.ROLE_PUSH_BUTTON, 'Save')
        self.sensitive(save, 'Save')
        click(save)
        self.window_gone('New Role')

        # What the simulator stored: the role scoped to that database.
        roles = [p for n, p in api_roles(self.url, self.token) if n == 'e2e scoped role']
        if len(roles) != 1:
            raise Failure(f'the simulator holds {len(roles)} roles named "e2e scoped role"')
        policy = roles[0]
        db_drn = f'drn:astra:org:{org_id}:db:{target["id"]}'
        wanted = [f'drn:astra:org:{org_id}', db_drn, f'{db_drn}:keyspace:*',
                  f'{db_drn}:keyspace:*:table:*']
        if sorted(policy['resources']) != sorted(wanted):
            raise Failure(f'the role\'s resources are {policy["resources"]}, not {wanted}')
        for action in ('org-db-view', 'db-table-select', 'db-table-modify'):
            if action not in policy['actions']:
                raise Failure(f'the role\'s actions {policy["actions"]} lack {action}')
        if 'org-db-terminate' in policy['actions']:
            raise Failure('a "Read and Write" role may terminate the database')

    # -- a token's row menu -------------------------------------------------------------

    def open_row_menu(self, description):
        """Presses the "Token Actions" button of the row described @description; returns
        the row's client id."""
        rows = wait_for(lambda: [r for r in self.token_rows() if description in r[1]],
                        f'the token {description!r} in the list')
        row, texts = rows[0]
        buttons = [b for b in find_all(row, pyatspi.ROLE_PUSH_BUTTON, 'Token Actions')
                   if 'click' in action_names(b)]
        if not buttons:
            raise Failure(f'no "Token Actions" button in the row of {texts[0]}')
        click(buttons[0])
        return texts[0]

    def row_menu_item(self, description, item_name):
        client_id = self.open_row_menu(description)
        item = wait_for(lambda: next((i for w in self.windows() for i in find_all(
                            w, pyatspi.ROLE_MENU_ITEM, item_name)), None),
                        f'the row menu item {item_name!r}')
        click(item)
        return client_id

    def toast(self, text):
        wait_for(lambda: find_all(self.main, pyatspi.ROLE_LABEL, text),
                 f'the message {text!r}')

    def step_row_copy_client_id(self):
        self.row_menu_item('e2e through AT-SPI', 'Copy Client ID')
        self.toast('Client ID copied')

    def step_row_details(self):
        client_id = self.row_menu_item('e2e through AT-SPI', 'Details…')

        def details_window():
            for w in self.windows():
                if (find_all(w, pyatspi.ROLE_LABEL, 'Token Details')
                        and find_all(w, pyatspi.ROLE_PUSH_BUTTON, 'Close')):
                    return w
            return None
        window = wait_for(details_window, 'the "Token Details" dialog')
        # Every detail is a row named by its title; the client id is read out with it.
        for title in ('Client ID', 'Description', 'Roles', 'Generated', 'Expires', 'Secret'):
            self.find(window, pyatspi.ROLE_LIST_ITEM, title, f'the detail row {title!r}')
        if not find_all(window, pred=lambda a: client_id in safe_name(a)
                        or client_id in (getattr(a, 'description', '') or '')):
            self.dump(window, 'token details')
            raise Failure(f'the details do not show the client id {client_id}')
        self.audit(window, 'token details')
        click(self.find(window, pyatspi.ROLE_PUSH_BUTTON, 'Close'))
        wait_for(lambda: details_window() is None, 'the "Token Details" dialog to close')

    def step_row_rotate(self):
        before = {member(c, 'clientId') for c in
                  api_get(self.url, self.token, '/clientIdSecrets')['clients']}
        old_id = self.row_menu_item('e2e expiring on a date', 'Rotate…')
        dialog = self.window('Rotate Token')
        self.audit(dialog, 'rotate dialog')
        generate = wait_for(lambda: next((b for b in find_all(dialog, pyatspi.ROLE_PUSH_BUTTON)
                                          if safe_name(b) in ('Rotate', 'Generate')
                                          and states(b).contains(pyatspi.STATE_SENSITIVE)),
                                         None),
                            'the dialog\'s "Rotate" button to be enabled')
        click(generate)
        self.close_new_token(audit=False)
        # A new token took the old one's place: the old one is revoked and gone.
        after = {member(c, 'clientId') for c in
                 api_get(self.url, self.token, '/clientIdSecrets')['clients']}
        added = after - before
        if len(added) != 1:
            raise Failure(f'rotating added {sorted(added)} tokens on the server, not one')
        wait_for(lambda: old_id not in {t[0] for _, t in self.token_rows()}
                 and list(added)[0] in {t[0] for _, t in self.token_rows()},
                 'the rotated token to replace the old one in the list')
        if old_id in after:
            raise Failure(f'the server still holds the rotated token {old_id}')

    # -- the role editor on a custom role -------------------------------------------------

    def select_role(self, name):
        roles = self.find(self.main, pyatspi.ROLE_LIST, 'Roles')

        def role_index():
            items = [c for c in children(roles) if c.getRole() == pyatspi.ROLE_LIST_ITEM]
            for i, item in enumerate(items):
                if find_all(item, pyatspi.ROLE_LABEL, name):
                    return (i, item)
            return None
        index, item = wait_for(role_index, f'the role {name!r} in the roles list')
        roles.querySelection().selectChild(index)
        wait_for(lambda: states(item).contains(pyatspi.STATE_SELECTED),
                 f'the role {name!r} to be selected')
        return roles

    def step_role_edit(self):
        self.select_role('e2e scoped role')
        click(self.find(self.main, pyatspi.ROLE_PUSH_BUTTON, 'Edit…'))
        dialog = self.window('Edit Role')
        name = self.text_field(dialog, 'Name')
        wait_for(lambda: get_text(name) == 'e2e scoped role', 'the role\'s name in the editor')
        set_text(self.text_field(dialog, 'Description'), 'edited through AT-SPI')
        if self.check_choices(dialog, self.PRESETS, 'Permissions') != 'Read and Write':
            raise Failure('the editor does not show the role as "Read and Write"')
        self.audit(dialog, 'role editor, editing')
        save = self.find(dialog, pyatspi.ROLE_PUSH_BUTTON, 'Save')
        self.sensitive(save, 'Save')
        click(save)
        self.window_gone('Edit Role')
        wait_for(lambda: [p for n, p in api_roles(self.url, self.token)
                          if n == 'e2e scoped role'
                          and member(p, 'description') == 'edited through AT-SPI'],
                 'the server to hold the new description')
        wait_for(lambda: find_all(self.main, name='edited through AT-SPI'),
                 'the new description on the roles page')

    def step_role_delete(self):
        roles = self.select_role('e2e scoped role')
        click(self.find(self.main, pyatspi.ROLE_PUSH_BUTTON, 'Delete…'))
        confirm = wait_for(lambda: next((b for w in self.windows() for b in find_all(
                               w, pyatspi.ROLE_PUSH_BUTTON, 'Delete')), None),
                           'a "Delete" confirmation button')
        for w in self.windows():
            if find_all(w, pyatspi.ROLE_PUSH_BUTTON, 'Delete'):
                self.audit(w, 'delete role confirmation')
        click(confirm)
        wait_for(lambda: not any(find_all(c, pyatspi.ROLE_LABEL, 'e2e scoped role')
                                 for c in children(roles)),
                 'the deleted role to leave the roles list')
        if any(n == 'e2e scoped role' for n, _ in api_roles(self.url, self.token)):
            raise Failure('the server still holds the deleted role')

    def step_astrarc_import(self):
        """Astra CLI's configuration ($ASTRARC) names a second organization on this computer:
        Import from Astra CLI… lists its profiles as check boxes, and Import connects it."""
        url, token = self.procs.start_sim('Beta Labs', databases=2)
        with open(self.procs.astrarc, 'w') as f:
            f.write('[default]\n'
                    f'ASTRA_DB_APPLICATION_TOKEN={token}\n'
                    'ASTRA_ENV=LOCAL\n'
                    f'ASTRA_LOCAL_ENDPOINT={url}\n'
                    '[beta]\n'
                    f'ASTRA_DB_APPLICATION_TOKEN={token}\n'
                    'ASTRA_ENV=LOCAL\n'
                    f'ASTRA_LOCAL_ENDPOINT={url}\n')
        os.chmod(self.procs.astrarc, 0o600)
        # The sidebar's "Add an Organization" menu offers it once an organization is there.
        adds = [b for b in find_all(self.main, pyatspi.ROLE_PUSH_BUTTON, 'Add an Organization')
                if 'click' in action_names(b)]
        if not adds:
            raise Failure('no "Add an Organization" button to press')
        click(adds[-1])
        item = wait_for(lambda: next((i for w in self.windows() for i in find_all(
                            w, pyatspi.ROLE_MENU_ITEM, 'Import from Astra CLI…')), None),
                        'the menu item "Import from Astra CLI…"')
        click(item)
        dialog = self.window('Import from Astra CLI')
        profiles = self.find(dialog, pyatspi.ROLE_LIST, 'Profiles')
        beta = self.find(profiles, pyatspi.ROLE_CHECK_BOX, 'beta', 'the profile "beta" as a check box')
        default = self.find(profiles, pyatspi.ROLE_CHECK_BOX, 'default')
        wait_for(lambda: is_checked(beta), 'the profile "beta" to be ticked')
        if is_checked(default):
            raise Failure('the "default" profile, a copy of "beta", is ticked as well')
        self.audit(dialog, 'import from Astra CLI')
        imp = self.find(dialog, pyatspi.ROLE_PUSH_BUTTON, 'Import')
        self.sensitive(imp, 'Import')
        click(imp)
        self.window_gone('Import from Astra CLI')
        sidebar = self.find(self.main, pyatspi.ROLE_LIST, 'Organizations')
        self.find(sidebar, pyatspi.ROLE_LIST_ITEM, 'Beta Labs',
                  'the imported organization "Beta Labs" in the sidebar')

    # -- export ---------------------------------------------------------------------------

    def save_in_file_chooser(self, title, path):
        """GTK's own file chooser (no portal in the test session): the file name typed as a
        whole path into its "Name" field, then its Export button."""
        chooser = self.window(title)
        name = self.text_field(chooser, 'Name:')     # GTK's own name, colon and all
        set_text(name, path)
        export = next((b for b in find_all(chooser, pyatspi.ROLE_PUSH_BUTTON, 'Export')
                       if 'click' in action_names(b)), None)
        if export is None:
            self.dump(chooser, 'file chooser')
            raise Failure(f'the file chooser {title!r} has no "Export" button')
        click(export)
        self.window_gone(title)

    def step_export_inventory(self):
        """Export CSV… with no row selected: some tokens' secrets are not in the keyring,
        so the app offers an inventory, which holds no secret."""
        path = os.path.join(os.environ['HOME'], 'e2e-inventory.csv')
        click(self.find(self.main, pyatspi.ROLE_PUSH_BUTTON, 'Export CSV…'))
        chooser = 'Export Token Inventory (No Secrets)'
        # With no secret of the shown organization in the keyring there is nothing to ask:
        # the file chooser comes at once; otherwise "Export an Inventory?" first.
        first = wait_for(lambda: next((b for w in self.windows() for b in find_all(
                             w, pyatspi.ROLE_PUSH_BUTTON, 'Export Inventory')), None)
                         or any(safe_name(w) == chooser for w in self.windows()),
                         'the "Export an Inventory?" dialog or the file chooser')
        if first is not True:
            for w in self.windows():
                if find_all(w, pyatspi.ROLE_PUSH_BUTTON, 'Export Inventory'):
                    self.audit(w, 'export an inventory? dialog')
            click(first)
        self.save_in_file_chooser(chooser, path)
        wait_for(lambda: os.path.exists(path) and os.path.getsize(path) > 0,
                 f'the inventory {path}')
        mode = os.stat(path).st_mode & 0o777
        if mode != 0o600:
            raise Failure(f'the inventory has mode {mode:o}, not 600')
        with open(path, newline='') as f:
            text = f.read()
        header = '"Client Id","Description","Roles","Generated On","Expires","In Keyring"\r\n'
        if not text.startswith(header):
            raise Failure(f'the inventory starts {text[:80]!r}, not with its header')
        if len(text.splitlines()) < 2:
            raise Failure('the inventory lists no token')
        if 'AstraCS:' in text:
            raise Failure('the inventory holds a token')

    def step_sidebar_menu(self):
        sidebar = self.find(self.main, pyatspi.ROLE_LIST, 'Organizations')
        options = [b for b in find_all(sidebar, pyatspi.ROLE_PUSH_BUTTON, 'Options for Acme Rockets')
                   if 'click' in action_names(b)]
        if not options:
            raise Failure('no "Options for Acme Rockets" button in the sidebar')
        click(options[0])
        menu = wait_for(lambda: next((m for w in self.windows()
                                      for m in find_all(w, pyatspi.ROLE_MENU)
                                      if find_all(m, pyatspi.ROLE_MENU_ITEM)), None),
                        'the organization menu')
        self.audit(menu, 'organization menu')
        names = [safe_name(i) for i in find_all(menu, pyatspi.ROLE_MENU_ITEM)]
        if not any(n.startswith('Rename') for n in names) or not any(n.startswith('Forget') for n in names):
            raise Failure(f'the organization menu offers {names}, not Rename and Forget')
        # Close it again, as Escape would.
        click(options[0])

    def open_from_main_menu(self, item_name):
        menus = [b for b in find_all(self.main, pyatspi.ROLE_PUSH_BUTTON, 'Main Menu')
                 if 'click' in action_names(b)]
        if not menus:
            raise Failure('no "Main Menu" button to press')
        click(menus[-1])
        item = wait_for(lambda: next((i for w in self.windows() for i in find_all(
                            w, pyatspi.ROLE_MENU_ITEM, item_name)), None),
                        f'the menu item {item_name!r}')
        click(item)

    def close_window(self, window, title):
        buttons = [b for b in find_all(window, pyatspi.ROLE_PUSH_BUTTON, 'Close')
                   if 'click' in action_names(b)]
        if not buttons:
            raise Failure(f'the window {title!r} has no "Close" button')
        click(buttons[0])
        self.window_gone(title)

    def step_findings(self):
        self.open_from_main_menu('Plain-Text Tokens')
        back = self.find(self.main, pyatspi.ROLE_PUSH_BUTTON, 'Back', 'the findings page')
        self.find(self.main, pyatspi.ROLE_PUSH_BUTTON, 'Search Home Folder',
                  'the findings page\'s "Search Home Folder"')
        time.sleep(0.5)     # let it fill in before walking it
        self.audit(self.main, 'plain-text tokens page')
        self.findings_back = back

    def step_findings_keep(self):
        """A live token of the organization left in a project's .env file (the server made
        it, the app never saw it): the search finds it, Keep in Keyring stores it."""
        roles = api_get(self.url, self.token, '/organizations/roles')
        role_id = next(member(r, 'ID') for r in roles
                       if member(r, 'Name') == 'Database Administrator')
        created = api_post(self.url, self.token, '/clientIdSecrets',
                           {'roles': [role_id], 'description': 'e2e planted in .env'})
        planted, client_id = member(created, 'token'), member(created, 'clientId')
        if not planted or not planted.startswith('AstraCS:'):
            raise Failure(f'the server made no AstraCS: token ({sorted(created)})')
        folder = os.path.join(os.environ['HOME'], 'e2e-project')
        os.makedirs(folder, exist_ok=True)
        env_file = os.path.join(folder, '.env')
        content = f'ASTRA_DB_ID=example\nASTRA_DB_APPLICATION_TOKEN={planted}\n'
        with open(env_file, 'w') as f:
            f.write(content)

        click(self.find(self.main, pyatspi.ROLE_PUSH_BUTTON, 'Search Home Folder'))

        def says_client_id(acc):
            return client_id in safe_name(acc) or client_id in (acc.description or '')

        def finding_row():
            # The row (an AdwActionRow) reads its subtitle, "Line 2 · … · Client ID X", as
            # its description or through the label inside it.
            for item in reversed(find_all(self.main, pyatspi.ROLE_LIST_ITEM)):
                if says_client_id(item) or find_all(item, pyatspi.ROLE_LABEL, pred=says_client_id):
                    return item
            return None
        try:
            row = wait_for(finding_row, f'a finding for the planted token {client_id}')
        except Failure:
            self.dump(self.main, 'while looking for the planted token')
            raise
        if planted in safe_name(row) or planted in (row.description or ''):
            raise Failure('the findings row reads the whole token out')
        wait_for(lambda: find_all(finding_row(), name=f'Live in Acme Rockets')
                 or find_all(finding_row(), name='Live'),
                 'the planted token to be classified as live')
        self.audit(self.main, 'plain-text tokens page with a finding')
        # A .env line offers "Replace with Reference" first; keeping alone is in its menu.
        keep = find_all(finding_row(), pyatspi.ROLE_PUSH_BUTTON, 'Keep in Keyring')
        if keep:
            click(keep[0])
        else:
            menu = [b for b in find_all(finding_row(), pyatspi.ROLE_PUSH_BUTTON)
                    if safe_name(b).startswith('Actions for AstraCS:')
                    and 'click' in action_names(b)]
            if not menu:
                raise Failure('the finding has neither "Keep in Keyring" nor its menu')
            click(menu[0])
            item = wait_for(lambda: next((i for w in self.windows() for i in find_all(
                                w, pyatspi.ROLE_MENU_ITEM, 'Keep in Keyring')), None),
                            'the menu item "Keep in Keyring"')
            click(item)
        self.toast('Kept in the keyring')
        wait_for(lambda: find_all(finding_row(), name='In this keyring'),
                 'the finding to show "In this keyring"')
        with open(env_file) as f:
            if f.read() != content:
                raise Failure('keeping the token in the keyring rewrote the .env file')
        # Back: GTK 4.8 leaves the page's widgets "visible" in the tree, so there is nothing
        # to wait for; this is the last step.
        click(self.findings_back)

    def step_default_expiry(self):
        known = {safe_name(w) for w in self.windows()}
        self.open_from_main_menu('Preferences')
        window = wait_for(lambda: next((w for w in self.windows()
                                        if safe_name(w) not in known), None),
                          'the Preferences window')
        title = safe_name(window)
        choices = ('Never', '30 days', '90 days', '365 days')
        if self.check_choices(window, choices, 'Default Expiry') != 'Never':
            raise Failure('the default expiry is not "Never" at first')
        self.choose(window, '30 days', 'Default Expiry')
        if self.check_choices(window, choices, 'Default Expiry') != '30 days':
            raise Failure('choosing "30 days" left another default expiry selected')
        self.close_window(window, title)

        # The generate dialog now starts with it.
        click(self.find(self.main, pyatspi.ROLE_PUSH_BUTTON, 'Generate Token'))
        dialog = self.window('Generate Token')
        wait_for(lambda: find_all(dialog, pyatspi.ROLE_RADIO_BUTTON, 'In 30 days'),
                 'the expiry choices')
        default = self.check_choices(dialog, self.EXPIRY_CHOICES, 'Expires')
        if default != 'In 30 days':
            raise Failure(f'the generate dialog preselects {default!r}, not the default '
                          '"In 30 days" from Preferences')
        click(self.find(dialog, pyatspi.ROLE_PUSH_BUTTON, 'Cancel'))
        self.window_gone('Generate Token')

    def step_app_windows(self):
        known = {safe_name(w) for w in self.windows()}
        for item in ('Preferences', 'Keyboard Shortcuts', 'About Astra Tokens'):
            self.open_from_main_menu(item)
            window = wait_for(lambda: next((w for w in self.windows()
                                            if safe_name(w) not in known), None),
                              f'the window opened by {item!r}')
            title = safe_name(window)
            time.sleep(0.5)     # let it fill in before walking it
            self.audit(window, f'{item} window ({title!r})')
            self.close_window(window, title)


def main():
    procs = Processes()
    scenario = Scenario(procs)
    steps = [
        ('start astra-sim and astra-tokens, find the app on the AT-SPI bus', scenario.step_start),
        ('welcome page: press "Connect an Organization…"', scenario.step_welcome),
        ('connect dialog: token, custom API URL, Connect', scenario.step_connect),
        ('the organization and its tokens appear', scenario.step_organization),
        ('the search field filters the token list', scenario.step_search),
        ('the "Sort Tokens" menu sorts the token list by client id, both ways',
         scenario.step_sort),
        ('every column header of the token table is named, the Keyring column too',
         scenario.step_column_headers),
        ('generate dialog: tick a role, describe, expires in 90 days, Generate',
         scenario.step_generate),
        ('new-token dialog: three values with copy buttons, Done; the simulator stored an '
         'expiry 90 days ahead', scenario.step_new_token),
        ('generate dialog: a token that expires on a typed date, as the simulator stored it',
         scenario.step_generate_on_date),
        ('row menu: Copy Client ID says it copied', scenario.step_row_copy_client_id),
        ('row menu: Details… shows the token, Close', scenario.step_row_details),
        ('row menu: Rotate… replaces the token with a new one', scenario.step_row_rotate),
        ('revoke the new token from its row menu, confirm', scenario.step_revoke),
        ('roles page: a role and its policy', scenario.step_roles),
        ('role editor: every control named, Cancel', scenario.step_role_editor),
        ('role editor: a role scoped to a database from the second page, as the simulator '
         'stored it', scenario.step_scoped_role),
        ('role editor: the custom role edited, as the server stored it', scenario.step_role_edit),
        ('roles page: the custom role deleted, confirmed, gone', scenario.step_role_delete),
        ('sidebar: the organization menu offers Rename and Forget', scenario.step_sidebar_menu),
        ('Preferences, Keyboard Shortcuts and About open from the main menu and close',
         scenario.step_app_windows),
        ('Preferences: a default expiry chosen there is preselected in the generate dialog',
         scenario.step_default_expiry),
        ('a click on a column header sorts, and the "Sort Tokens" menu checks that order',
         scenario.step_sort_by_header),
        ('"Expiring Soon" shows as pressed while it narrows the list, and not after',
         scenario.step_expiring_toggle),
        ('the Plain-Text Tokens page opens from the main menu, every control named',
         scenario.step_findings),
        ('Plain-Text Tokens: a live token planted in a .env file is found and kept in the '
         'keyring', scenario.step_findings_keep),
        ('Import from Astra CLI: a profile of $ASTRARC connects a second organization',
         scenario.step_astrarc_import),
        ('Export CSV…: the inventory of every token, mode 0600, its header, no secret',
         scenario.step_export_inventory),
    ]
    print(f'1..{len(steps) + 1}', flush=True)
    failed = False
    try:
        for what, step in steps:
            if failed:
                tap_not_ok(what, 'skipped: an earlier step failed')
                continue
            try:
                step()
                tap_ok(what)
            except Exception as e:
                why = ''.join(traceback.format_exception_only(type(e), e)).strip()
                crashed = procs.app is not None and procs.app.poll() is not None
                if crashed:
                    why += f'\nastra-tokens has exited with status {procs.app.poll()}'
                elif procs.app is not None:
                    why += '\n' + process_state(procs.app.pid)
                failed = True
                tap_not_ok(what, why)
                if not isinstance(e, Failure):
                    diag(traceback.format_exc())
        what = 'every control on the way has an accessible name'
        if scenario.unnamed:
            tap_not_ok(what, '\n'.join(scenario.unnamed))
            failed = True
        else:
            tap_ok(what)
    finally:
        procs.stop()
        if scenario.dump_file is not None:
            scenario.dump_file.close()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
