// A real OpenID Connect provider for scripto-server's OIDC tests, started by
// server/tests/common/oidc.rs (one per test, thrown away afterwards).
//
// Why oidc-provider 8.8.1, pinned exactly in package.json: the tests must run
// on Debian 12's `nodejs` (Node 18) and on Node 20. oidc-provider 9 removed
// support for Node 18 and Node 20 (its 9.0.0 changelog says so; its CI runs
// Node 22 and later, and its jose 6 needs WebCrypto as a global, which Node 18
// does not have by default). No 8.x after 8.0.0 has an `engines` field, so the
// support is read from the 8.0.0 changelog ("Node.js LTS 18 (^18.12.0) is
// now required") and the 8.x CI, which runs every LTS from 18 up. 8.8.1 is the
// last 8.x release, and every engines range in its package-lock.json accepts
// both Node 18 and Node 20.
//
// Environment:
//   PORT            port on 127.0.0.1 (0 or unset: a free one)
//   CLIENT_ID       the one client's id (default "scripto")
//   CLIENT_SECRET   its secret (required)
//   EMAIL_VERIFIED  "false" makes every account's email_verified false
//   EXIT_WITH_STDIN "1": exit when stdin closes (the test harness)
//   CLOCK_OFFSET_SECONDS  shifts this provider's clock (e.g. -7200: a
//                   provider whose clock is two hours behind, whose ID
//                   tokens have expired by the time they arrive)
//
// Once it accepts connections it prints exactly one line on stdout,
// {"issuer":"http://127.0.0.1:N"}, and nothing else there (the library's
// warnings go to stderr). It exits on SIGTERM/SIGINT, and with
// EXIT_WITH_STDIN=1 also when stdin closes (its parent went away). Everything lives in memory: nothing survives it.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';

import Provider, { interactionPolicy } from 'oidc-provider';

// stdout carries the one line the harness waits for and nothing else: the
// harness stops reading after it, and a later write there would kill this
// process with EPIPE. The library's notices (console.info, e.g. "default
// ... function called") go to stderr with its warnings.
console.log = console.error;
console.info = console.error;

const clientId = process.env.CLIENT_ID || 'scripto';
const clientSecret = process.env.CLIENT_SECRET;
if (!clientSecret) {
  process.stderr.write('provider.mjs: CLIENT_SECRET is required\n');
  process.exit(2);
}
const emailVerified = process.env.EMAIL_VERIFIED !== 'false';

// oidc-provider reads the time through Date.now (its epochTime helper):
// shifting it shifts every iat and exp it signs, and its own checks alike.
const clockOffsetMs = Number(process.env.CLOCK_OFFSET_SECONDS || 0) * 1000;
if (clockOffsetMs) {
  const realNow = Date.now;
  Date.now = () => realNow() + clockOffsetMs;
}
const port = Number(process.env.PORT || 0);

// The issuer names the port, so the port is bound before the Provider exists;
// requests are handled only once it does (see below).
const server = createServer();
server.listen(port, '127.0.0.1');
await once(server, 'listening');
const issuer = `http://127.0.0.1:${server.address().port}`;

// A fresh RS256 signing key per run, rather than the library's published
// development keys: ID tokens a test sees were signed by this process only.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'fixture-rs256' };

// Consent: the default policy always prompts a native client
// (`native_client_prompt`), whatever grant exists; see the client below for
// why ours is native. That one check goes; the others stay and are satisfied
// by the grant loadExistingGrant makes.
const policy = interactionPolicy.base();
policy.get('consent').checks.remove('native_client_prompt');

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    // Redirect URIs on any loopback port: the server under test picks its
    // port after this provider has started (it discovers the provider when it
    // starts), so no exact redirect URI can be registered up front.
    // oidc-provider implements RFC 8252 section 7.3 (the port of a loopback
    // redirect URI is not compared) for `application_type: 'native'` only,
    // and for any client of that type, confidential ones included
    // (Client#redirectUriAllowed). Scheme, host 127.0.0.1 and path must
    // still match exactly. The client stays confidential: the token endpoint
    // wants its secret (client_secret_basic), and PKCE S256 on top.
    application_type: 'native',
    redirect_uris: ['http://127.0.0.1/auth/oidc/callback'],
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: 'RS256',
  }],
  jwks: { keys: [signingKey] },
  pkce: { methods: ['S256'], required: () => true },
  features: {
    // The library's own login form: any login, any password.
    devInteractions: { enabled: true },
  },
  interactions: { policy },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // Scope claims (email, email_verified, name) go into the ID token too, not
  // only the userinfo response: the server under test reads the ID token.
  conformIdTokenClaims: false,
  // The account id is the login typed into the form.
  async findAccount(ctx, id) {
    const email = id.includes('@') ? id : `${id}@example.test`;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id, email, email_verified: emailVerified, name: email.split('@')[0],
        };
      },
    };
  },
  // The documented recipe to skip consent (recipes/skip_consent.md): this
  // first-party client gets a grant of what it may ask for, made just in time.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  cookies: {
    // Signed cookies with a key of this run. No `secure` flag (the library
    // sets none unless told), so they work over plain http on 127.0.0.1; the
    // long-lived one is SameSite=Lax instead of the default None, which
    // browsers refuse without Secure. A browser comes back from the login
    // form by a top-level navigation, which Lax allows.
    keys: [randomBytes(32).toString('base64url')],
    // Cookies do not keep to a port: a browser sends these to the server
    // under test on 127.0.0.1 too, and its cookies here. Names of their own
    // (the defaults are _session, _interaction...) keep the two apart.
    names: { session: 'op_session', interaction: 'op_interaction', resume: 'op_interaction_resume' },
    long: { signed: true, httpOnly: true, sameSite: 'lax' },
    short: { signed: true, httpOnly: true, sameSite: 'lax' },
  },
});

server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer })}\n`);

// Nothing to flush: the adapter is in memory. Exit at once, open keep-alive
// connections included.
const stop = () => process.exit(0);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Only when asked (the test harness sets EXIT_WITH_STDIN=1): run by hand in
// the background (`node provider.mjs &`, as the README does), stdin is a
// terminal it may not read, or /dev/null, which ends at once.
if (process.env.EXIT_WITH_STDIN === '1') {
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}
