#!/usr/bin/python3
# foreign-astra.py: a second, independent Astra DevOps API server for tests
#
# Written from /work/shared/docs/astra-api.md alone, not from astra-sim, so that the client
# is tried against a server that makes every free choice the reference leaves open
# differently: member order, unknown members (nested too), whitespace, Content-Type
# parameters, chunked or Content-Length bodies, Connection: close, status texts,
# timestamp precision, missing vs empty optional fields, the policy as a string under a
# lower-case key, the OpenAPI's lower-case member names, error bodies as an "errors"
# array, as a bare JSON string and as text/plain.
#
# Interface (only this is shared with astra-sim): prints
#   ASTRA_API_URL=http://127.0.0.1:PORT/v2
#   ASTRA_DB_APPLICATION_TOKEN=<an Organization Administrator token>
# on stdout and serves until it is killed (--foreground is accepted for astra-sim's callers).
# Options: --tokens N, --databases N, --org-name NAME (others are accepted and ignored).
#
# Test hooks outside /v2 (no authentication, loopback only):
#   POST /_foreign/fault  {"method", "path", "status", "count", "headers", "body",
#                          "content_type"}: the next @count matching requests get this answer
#   POST /_foreign/tokens {"count": N}: adds N tokens to the organization
#   GET  /_foreign/state : the tokens ({"token": ..., "roles": [...]}) the server knows,
#                          including a token whose roles may not list tokens
#
# SPDX-License-Identifier: GPL-3.0-or-later

import argparse
import ctypes
import email.utils
import hashlib
import http.server
import json
import os
import random
import signal
import socketserver
import string
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, unquote, urlsplit

RNG = random.Random(20261204)
LOCK = threading.RLock()

SECRET_ALPHABET = string.ascii_letters + string.digits + '+,-._'

# astra-api.md §3.1/§3.2: names as the API returns them, fixture ids where the page has them.
BUILTIN_ROLES = [
    ('Organization Administrator', 'ad0566b5-2a67-49de-89e8-92258c2f2c98'),
    ('Database Administrator', None),
    ('Billing Admin', None),
    ('UI View Only', None),
    ('Admin User', '43745b73-ad46-46e4-b826-c15d06d2cea0'),
    ('Admin Svc Acct', None),
    ('RO User', None),
    ('R/W User', None),
    ('RO Svc Acct', '16a4b1d7-a615-41f8-95ca-52b0280f4d77'),
    ('R/W Svc Acct', 'b4ed0e9e-67e8-47b6-8b58-c6629be961a9'),
    ('API Admin User', '67c4b5dc-dd3f-4b2d-be51-09be12836d57'),
    ('API Admin Svc Acct', None),
    ('API RO User', None),
    ('API R/W User', None),
    ('API RO Svc Acct', None),
    ('API R/W Svc Acct', None),
]

RO_SVC = ['accesslist-read', 'db-all-keyspace-describe', 'db-keyspace-describe',
          'db-table-select', 'db-table-describe', 'db-graphql', 'db-rest', 'db-cql']
ORG_ADMIN_EXTRA = ['org-read', 'org-write', 'org-audits-read', 'org-role-read', 'org-role-write',
                   'org-role-delete', 'org-token-read', 'org-token-write', 'org-user-read',
                   'org-user-write', 'org-db-view', 'org-db-create', 'org-db-terminate',
                   'org-external-auth-read', 'org-external-auth-write', 'org-notification-write',
                   'accesslist-write', 'org-integrations-read', 'org-integrations-write',
                   'org-billing-read', 'org-billing-write', 'db-table-modify']
DB_ADMIN = ['org-read', 'org-db-view', 'org-db-create', 'org-token-read', 'org-token-write',
            'org-role-read', 'org-user-read'] + RO_SVC + ['db-table-modify']


def builtin_actions(name):
    if name == 'Organization Administrator':
        return RO_SVC + ORG_ADMIN_EXTRA
    if name == 'Database Administrator':
        return DB_ADMIN
    if name == 'RO Svc Acct':
        return list(RO_SVC)
    if name == 'R/W Svc Acct':
        return RO_SVC + ['db-table-modify']
    if 'Admin' in name:
        return ['org-read', 'org-db-view', 'org-user-read'] + RO_SVC
    return ['org-read'] + RO_SVC[:3]


def now_iso(style, when=None):
    when = when or datetime.now(timezone.utc)
    base = when.strftime('%Y-%m-%dT%H:%M:%S')
    if style == 'ms':
        return f'{base}.{when.microsecond // 1000:03d}Z'
    if style == 'ns':
        return f'{base}.{when.microsecond:06d}{RNG.randrange(1000):03d}Z'
    if style == 'us':
        return f'{base}.{when.microsecond:06d}Z'
    if style == 'offset':
        return f'{base}.{when.microsecond // 1000:03d}+00:00'
    return base + 'Z'


def random_client_id():
    return ''.join(RNG.choice(string.ascii_letters) for _ in range(24))


def new_credentials():
    client_id = random_client_id()
    secret = ''.join(RNG.choice(SECRET_ALPHABET) for _ in range(128))
    token = f'AstraCS:{client_id}:{hashlib.sha256(secret.encode()).hexdigest()}'
    return client_id, secret, token


class State:
    def __init__(self, org_name, n_tokens, n_databases):
        self.org_id = str(uuid.UUID(int=RNG.getrandbits(128), version=4))
        self.org_name = org_name
        self.roles = []          # dicts: id, name, type, description, resources, actions, style
        self.tokens = []         # dicts: clientId, roles, generatedOn, description, expiry, token
        self.databases = []
        self.faults = []
        self.user_id = str(uuid.UUID(int=RNG.getrandbits(128), version=4))

        for name, rid in BUILTIN_ROLES:
            self.roles.append({
                'id': rid or str(uuid.UUID(int=RNG.getrandbits(128), version=4)),
                'name': name, 'type': 'default',
                'description': f'{name} (built in)',
                'resources': ['drn:astra:org:__ORG_ID__', 'drn:astra:org:__ORG_ID__:db:*',
                              'drn:astra:org:__ORG_ID__:db:*:keyspace:*',
                              'drn:astra:org:__ORG_ID__:db:*:keyspace:*:table:*'],
                'actions': builtin_actions(name), 'style': 'wire',
            })
        # Custom roles: one as the wire shows roles, one with the OpenAPI's lower-case names,
        # one with the old docs' policy-as-a-string.
        for name, style in (('Foreign Reader', 'wire'), ('Foreign Spec Casing', 'spec'),
                            ('Foreign String Policy', 'string')):
            self.roles.append(self.make_custom(name, f'{name}: custom',
                                               [f'drn:astra:org:{self.org_id}'],
                                               ['org-read', 'org-db-view'], style))

        admin = self.role_by_name('Organization Administrator')
        self.admin_client, _, self.admin_token = self.add_token([admin['id']],
                                                                'Foreign admin', None, 'ms')
        ro = self.role_by_name('RO Svc Acct')
        self.ro_client, _, self.ro_token = self.add_token([ro['id']], '', None, 'ms')
        self.seed_tokens(n_tokens)

        regions = ['us-east1', 'europe-west1', 'eu-central-1']
        for i in range(n_databases + 1):
            db_id = str(uuid.UUID(int=RNG.getrandbits(128), version=4))
            terminated = i == n_databases   # never listed by default
            self.databases.append({
                'id': db_id, 'orgId': self.org_id, 'ownerId': self.admin_client,
                'status': 'TERMINATED' if terminated else ('ACTIVE' if i % 3 else 'HIBERNATED'),
                'creationTime': now_iso('ms'),
                'info': {'name': f'foreign-db-{i:03d}', 'keyspace': 'default_keyspace',
                         'keyspaces': ['default_keyspace', f'ks_{i}'],
                         'region': regions[i % 3],
                         'cloudProvider': ['GCP', 'AWS', 'AZURE'][i % 3],
                         'tier': 'serverless', 'dbType': 'vector',
                         'datacenters': [{'id': f'{db_id}-1', 'region': regions[i % 3]}]},
            })
        self.databases.sort(key=lambda d: d['id'])

    def make_custom(self, name, description, resources, actions, style='wire'):
        return {'id': str(uuid.UUID(int=RNG.getrandbits(128), version=4)), 'name': name,
                'type': None, 'description': description, 'resources': list(resources),
                'actions': list(actions), 'style': style, 'updated': now_iso('ns')}

    def role_by_name(self, name):
        return next(r for r in self.roles if r['name'] == name)

    def role_by_id(self, rid):
        return next((r for r in self.roles if r['id'] == rid), None)

    def add_token(self, role_ids, description, expiry, stamp_style):
        client_id, secret, token = new_credentials()
        self.tokens.append({'clientId': client_id, 'roles': list(role_ids),
                            'generatedOn': now_iso(stamp_style), 'description': description,
                            'expiry': expiry, 'token': token})
        return client_id, secret, token

    def seed_tokens(self, count):
        ids = [r['id'] for r in self.roles]
        styles = ['ms', 'ns', 'plain', 'us', 'offset']
        start = datetime(2025, 6, 17, 2, 26, 29, 846000, tzinfo=timezone.utc)
        for i in range(count):
            client_id, _, token = new_credentials()
            roles = [ids[(i * 7) % len(ids)]]
            if i % 4 == 1:
                roles.append(ids[(i * 3 + 1) % len(ids)])
            if i % 50 == 7:
                roles.append('R/W User')    # a legacy token made with a role name (§2.7)
            expiry = None
            if i % 3 == 0:
                expiry = now_iso('ms', start + timedelta(days=200 + i))
            self.tokens.append({
                'clientId': client_id, 'roles': roles,
                'generatedOn': now_iso(styles[i % len(styles)], start + timedelta(minutes=i)),
                # Older servers omit description/tokenExpiry altogether (§2.7): missing,
                # empty and set alternate.
                'description': [f'Seeded token {i}', '', None][i % 3],
                'expiry': expiry if i % 5 else ('omit' if expiry is None else expiry),
                'token': token})

    def token_record(self, bearer):
        return next((t for t in self.tokens if t['token'] == bearer), None)


STATE = None
COUNTER = [0]


def extra_members(depth=0):
    """Unknown members a client must ignore, nested."""
    extra = {'x-foreign-note': 'ignore me', 'zzUnknownNumber': 12.5e3, 'aFlag': False,
             'nullish': None}
    if depth < 2:
        extra['nestedUnknown'] = {'list': [1, 'two', {'three': [3]}], 'deeper': extra_members(depth + 1)}
    return extra


def shuffled(obj):
    items = list(obj.items())
    RNG.shuffle(items)
    return dict(items)


def role_json(role):
    policy = shuffled({'description': role['description'], 'effect': 'allow',
                       'resources': role['resources'], 'actions': role['actions'],
                       'conditions': [], 'x-policy-extra': {'k': ['v']}})
    if role['style'] == 'spec':
        body = {'id': role['id'], 'name': role['name'], 'policy': policy,
                'last_update_datetime': role.get('updated', now_iso('ms')),
                'last_update_userid': STATE.user_id}
    elif role['style'] == 'string':
        body = {'ID': role['id'], 'Name': role['name'],
                'policy': json.dumps(policy, indent=1)}
    else:
        body = {'ID': role['id'], 'Name': role['name'], 'Policy': policy,
                'OrgID': STATE.org_id, 'LastUpdateDateTime': role.get('updated', now_iso('ns')),
                'LastUpdateUserID': STATE.user_id}
        if role['type'] is not None:
            body['Type'] = role['type']
    body.update(extra_members())
    return shuffled(body)


def token_json(token):
    body = {'clientId': token['clientId'], 'roles': token['roles'],
            'generatedOn': token['generatedOn'], 'orgId': STATE.org_id,
            'lastUsed': None, 'x-extra': extra_members()}
    if token['description'] is not None:
        body['description'] = token['description']
    if token['expiry'] != 'omit':
        body['tokenExpiry'] = token['expiry']
    return shuffled(body)


def permitted_actions(record):
    actions = set()
    for rid in record['roles']:
        role = STATE.role_by_id(rid)
        if role is not None:
            actions.update(role['actions'])
    return actions


class ApiError(Exception):
    def __init__(self, status, shape, message, headers=None):
        super().__init__(message)
        self.status = status
        self.shape = shape          # 'errors', 'string', 'text'
        self.message = message
        self.headers = headers or {}


REASONS = {200: ['OK', 'Okay then', ''], 201: ['Created', 'Role Created'], 204: ['No Content', 'Gone Quiet'],
           400: ['Bad Request', 'Nope'], 401: ['Unauthorized', 'Who Are You'],
           403: ['Forbidden', 'Not For You'], 404: ['Not Found', 'No Such Thing'],
           409: ['Conflict', 'Already There'], 429: ['Too Many Requests', 'Slow Down'],
           500: ['Internal Server Error', 'Oops'], 502: ['Bad Gateway'], 503: ['Service Unavailable'],
           504: ['Gateway Timeout']}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'ForeignAstra/0.1'

    def log_message(self, fmt, *args):
        if '--verbose' in sys.argv:
            sys.stderr.write('foreign-astra: ' + (fmt % args) + '\n')

    # -- output ---------------------------------------------------------------------------

    def variant(self):
        with LOCK:
            COUNTER[0] += 1
            return COUNTER[0]

    def send_raw(self, status, body, content_type, headers=None, n=None):
        n = n if n is not None else self.variant()
        reasons = REASONS.get(status, ['Whatever'])
        self.send_response_only(status, reasons[n % len(reasons)])
        self.send_header('Date', self.date_time_string())
        self.send_header('X-Request-Id', str(uuid.uuid4()))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        close = n % 4 == 3
        if close:
            self.send_header('Connection', 'close')
            self.close_connection = True
        if status == 204 or body is None:
            if status != 204:
                self.send_header('Content-Length', '0')
            self.end_headers()
            return
        if content_type:
            self.send_header('Content-Type', content_type)
        data = body.encode('utf-8')
        if n % 3 != 1:
            self.send_header('Transfer-Encoding', 'chunked')
            self.end_headers()
            step = max(1, len(data) // 3 + RNG.randrange(1, 50))
            for i in range(0, len(data), step):
                piece = data[i:i + step]
                self.wfile.write(b'%x\r\n%s\r\n' % (len(piece), piece))
            self.wfile.write(b'0\r\n\r\n')
        else:
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        self.wfile.flush()

    def send_json(self, status, value, headers=None):
        n = self.variant()
        style = n % 4
        if style == 0:
            text = json.dumps(value, separators=(',', ':'))
        elif style == 1:
            text = json.dumps(value, indent=2) + '\n'
        elif style == 2:
            text = '\r\n  ' + json.dumps(value, indent='\t', separators=(' , ', ' : ')) + '\r\n\r\n'
        else:
            text = json.dumps(value, indent=4, ensure_ascii=True) + '\n'
        content_types = ['application/json; charset=utf-8', 'application/json;charset=UTF-8',
                         'application/json', 'Application/JSON; charset="utf-8"']
        self.send_raw(status, text, content_types[n % len(content_types)], headers, n)

    def send_error_body(self, err):
        if err.shape == 'errors':
            self.send_json(err.status, shuffled({'errors': [shuffled({
                'ID': 2000000 + err.status, 'message': err.message, 'traceId': 'abc'})],
                'x-extra': 1}), err.headers)
        elif err.shape == 'string':
            self.send_json(err.status, err.message, err.headers)
        else:
            self.send_raw(err.status, err.message + '\n', 'text/plain; charset=utf-8', err.headers)

    # -- input ----------------------------------------------------------------------------

    def read_body(self):
        length = int(self.headers.get('Content-Length') or 0)
        data = self.rfile.read(length) if length else b''
        if not data:
            return None
        try:
            return json.loads(data)
        except ValueError:
            raise ApiError(400, 'text', 'invalid')

    def authenticate(self, action):
        auth = self.headers.get('Authorization') or ''
        scheme, _, value = auth.partition(' ')
        record = STATE.token_record(value.strip()) if scheme.lower() == 'bearer' else None
        if record is None:
            raise ApiError(401, 'errors', 'The provided token is not valid for this environment')
        if action is not None and action not in permitted_actions(record):
            raise ApiError(403, 'errors', f'role is missing the {action} permission')
        return record

    # -- dispatch -------------------------------------------------------------------------

    def handle_any(self, method):
        url = urlsplit(self.path)
        path = url.path.rstrip('/') or '/'
        query = parse_qs(url.query)
        try:
            if path.startswith('/_foreign/'):
                return self.control(method, path)
            fault = self.take_fault(method, path)
            if fault is not None:
                return self.send_fault(fault)
            with LOCK:
                return self.route(method, path, query)
        except ApiError as err:
            self.send_error_body(err)

    def take_fault(self, method, path):
        with LOCK:
            for fault in STATE.faults:
                if fault['method'] == method and fault['path'] == path and fault['count'] > 0:
                    fault['count'] -= 1
                    return fault
        return None

    def send_fault(self, fault):
        headers = dict(fault.get('headers') or {})
        body = fault.get('body')
        if fault.get('content_type', '').startswith('application/json'):
            self.send_raw(fault['status'], json.dumps(body), fault['content_type'], headers)
        else:
            self.send_raw(fault['status'], body, fault.get('content_type', 'text/plain'), headers)

    def control(self, method, path):
        body = self.read_body() or {}
        if path == '/_foreign/fault' and method == 'POST':
            with LOCK:
                STATE.faults.append(dict(body))
            return self.send_raw(204, None, None)
        if path == '/_foreign/tokens' and method == 'POST':
            with LOCK:
                STATE.seed_tokens(int(body.get('count', 0)))
            return self.send_raw(204, None, None)
        if path == '/_foreign/state' and method == 'GET':
            with LOCK:
                value = {'orgId': STATE.org_id, 'orgName': STATE.org_name,
                         'adminToken': STATE.admin_token, 'readOnlyToken': STATE.ro_token,
                         'nTokens': len(STATE.tokens)}
            return self.send_json(200, value)
        raise ApiError(404, 'text', 'no such control')

    def route(self, method, path, query):
        parts = path.split('/')[1:]
        if parts[:1] != ['v2']:
            raise ApiError(404, 'text', '404 page not found')
        rest = [unquote(p) for p in parts[1:]]

        if rest == ['currentOrg'] and method == 'GET':
            self.authenticate('org-read')
            return self.send_json(200, shuffled(dict({'id': STATE.org_id, 'name': STATE.org_name},
                                                     **extra_members())))

        if rest[:2] == ['organizations', 'roles']:
            return self.roles(method, rest[2:])

        if rest[:1] in (['clientIdSecrets'], ['tokens']):
            return self.tokens(method, rest[1:], rest[0])

        if rest == ['organizations', 'users'] and method == 'GET':
            self.authenticate('org-user-read')
            users = []
            for i, (email, status) in enumerate((('owner@foreign.example', 'active'),
                                                 ('invitee@foreign.example', 'invited'))):
                roles = [STATE.roles[0] if i == 0 else STATE.role_by_name('RO User')]
                users.append(shuffled(dict({
                    # The OpenAPI's lower camel case (§2.8), where astra-sim uses the wire's.
                    'userID': STATE.user_id if i == 0 else str(uuid.uuid4()),
                    'email': email, 'status': status,
                    'roles': [shuffled({'ID': r['id'], 'Name': r['name'], 'x': [None]})
                              for r in roles]}, **extra_members())))
            return self.send_json(200, shuffled({'orgID': STATE.org_id, 'orgName': STATE.org_name,
                                                 'users': users, 'x-total': len(users)}))

        if rest == ['databases'] and method == 'GET':
            self.authenticate('org-db-view')
            return self.databases(query)

        raise ApiError(404, 'text', f'no route for {method} {path}')

    def databases(self, query):
        include = (query.get('include') or ['nonterminated'])[0].lower()
        try:
            limit = int((query.get('limit') or ['25'])[0])
        except ValueError:
            raise ApiError(400, 'errors', 'limit must be a number')
        if limit < 1 or limit > 100:
            raise ApiError(400, 'errors', 'limit must be between 1 and 100')
        dbs = [d for d in STATE.databases
               if include == 'all' or (include == 'nonterminated' and d['status'] != 'TERMINATED')
               or d['status'].lower() == include]
        after = (query.get('starting_after') or [None])[0]
        if after is not None:
            index = next((i for i, d in enumerate(dbs) if d['id'] == after), None)
            if index is None:
                raise ApiError(400, 'errors', 'unknown starting_after')
            dbs = dbs[index + 1:]
        page = [shuffled(dict(d, info=shuffled(dict(d['info'], **extra_members())),
                              **extra_members())) for d in dbs[:limit]]
        return self.send_json(200, page)

    def roles(self, method, rest):
        if rest == [] and method == 'GET':
            self.authenticate('org-role-read')
            return self.send_json(200, [role_json(r) for r in STATE.roles])
        if rest == [] and method == 'POST':
            self.authenticate('org-role-write')
            name, policy = self.read_role_request()
            if any(r['name'] == name for r in STATE.roles):
                raise ApiError(409, 'string', f'role with name {name} already exists')
            role = STATE.make_custom(name, policy['description'], policy['resources'],
                                     policy['actions'])
            STATE.roles.append(role)
            return self.send_json(201, role_json(role))
        if len(rest) != 1:
            raise ApiError(404, 'text', 'not found')
        role = STATE.role_by_id(rest[0])
        if method == 'GET':
            self.authenticate('org-role-read')
            if role is None:
                raise ApiError(404, 'text', f'role {rest[0]} not found')
            return self.send_json(200, role_json(role))
        if method == 'PUT':
            self.authenticate('org-role-write')
            if role is None:
                raise ApiError(404, 'text', f'role {rest[0]} not found')
            if role['type'] == 'default':
                raise ApiError(400, 'text', 'built-in roles cannot be edited')
            name, policy = self.read_role_request()
            if any(r['name'] == name and r is not role for r in STATE.roles):
                raise ApiError(409, 'string', f'role with name {name} already exists')
            role.update(name=name, description=policy['description'],
                        resources=policy['resources'], actions=policy['actions'],
                        updated=now_iso('ns'))
            # 200 "successful operation": a body nobody documented.
            return self.send_json(200, {'status': 'ok', 'ID': role['id']})
        if method == 'DELETE':
            self.authenticate('org-role-delete')
            if role is None:
                raise ApiError(404, 'text', f'role {rest[0]} not found')
            if role['type'] == 'default':
                raise ApiError(400, 'text', 'built-in roles cannot be deleted')
            STATE.roles.remove(role)
            return self.send_raw(204, None, None)
        raise ApiError(404, 'text', 'not found')

    def read_role_request(self):
        body = self.read_body()
        if not isinstance(body, dict) or not isinstance(body.get('name'), str) \
                or not isinstance(body.get('policy'), dict):
            raise ApiError(400, 'string', 'name and policy are required')
        policy = body['policy']
        for key in ('description', 'resources', 'actions', 'effect'):
            if key not in policy:
                raise ApiError(400, 'string', f'policy.{key} is required')
        if policy['effect'] != 'allow':
            raise ApiError(400, 'string', 'effect must be allow')
        for resource in policy['resources']:
            if not resource.startswith('drn:astra:org:'):
                raise ApiError(400, 'string', 'resource must start with drn:astra:org:')
        return body['name'], policy

    def tokens(self, method, rest, collection):
        if rest == [] and method == 'GET' and collection == 'clientIdSecrets':
            self.authenticate('org-token-read')
            return self.send_json(200, shuffled({'clients': [token_json(t) for t in STATE.tokens],
                                                 'x-count': len(STATE.tokens),
                                                 'meta': extra_members()}))
        if rest == [] and method == 'POST':
            self.authenticate('org-token-write')
            body = self.read_body()
            if not isinstance(body, dict) or not isinstance(body.get('roles'), list) \
                    or not body['roles']:
                raise ApiError(400, 'text', 'invalid')
            for rid in body['roles']:
                if STATE.role_by_id(rid) is None:
                    raise ApiError(400, 'text', f'Role ID not found: {rid}')
            description = body.get('description', '')
            expiry = body.get('tokenExpiry')
            client_id, secret, token = STATE.add_token(body['roles'], description, expiry, 'ns')
            record = STATE.tokens[-1]
            answer = {'clientId': client_id, 'orgId': body.get('orgId', STATE.org_id),
                      'secret': secret, 'token': token, 'generatedOn': record['generatedOn'],
                      'roles': body['roles']}
            answer.update(extra_members())
            return self.send_json(200, shuffled(answer))
        if len(rest) == 1 and method == 'DELETE' and collection == 'clientIdSecrets':
            self.authenticate('org-token-write')
            record = next((t for t in STATE.tokens if t['clientId'] == rest[0]), None)
            if record is None:
                raise ApiError(404, 'errors', f'client id {rest[0]} not found')
            STATE.tokens.remove(record)
            # 200 "Ok" with no documented body (§2.7).
            return self.send_raw(200, 'Ok', 'text/plain')
        raise ApiError(404, 'text', 'not found')

    def do_GET(self):
        self.handle_any('GET')

    def do_POST(self):
        self.handle_any('POST')

    def do_PUT(self):
        self.handle_any('PUT')

    def do_DELETE(self):
        self.handle_any('DELETE')


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def die_with_parent():
    """A test that aborts leaves no server behind: Linux sends SIGTERM when the process
    that started this one ends (prctl PR_SET_PDEATHSIG)."""
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:   # it ended before the prctl
        sys.exit(0)


def main():
    global STATE
    die_with_parent()
    parser = argparse.ArgumentParser()
    parser.add_argument('--tokens', type=int, default=3)
    parser.add_argument('--databases', type=int, default=3)
    parser.add_argument('--org-name', default='foreign-owner@example.com')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--verbose', action='store_true')
    args, _ = parser.parse_known_args()

    STATE = State(args.org_name, args.tokens, args.databases)
    server = Server(('127.0.0.1', args.port), Handler)
    print(f'ASTRA_API_URL=http://127.0.0.1:{server.server_address[1]}/v2')
    print(f'ASTRA_DB_APPLICATION_TOKEN={STATE.admin_token}')
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == '__main__':
    main()
