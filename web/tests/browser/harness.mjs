// Shared by the browser tests: the server's own Content-Security-Policy, and the count of checks.
//
// The pages run under the policy the server sends; nothing here adds or changes one. A test
// records the documents its pages load (recordDocuments), and near its end checks (checkServerCsp)
// that every one came with a Content-Security-Policy header, that all carried the same policy,
// and that this policy is the one the browser enforces: on a fresh page of the same context, an
// inline script is blocked and the violation names exactly that policy.
//
// Each test declares how many checks it runs and ends with summarise(): it prints
// `checks passed: P of N` and `P passed, F failed`, and counts a run with another number of checks
// as failed, so a check that is skipped or never reached cannot pass unseen.

/** Thrown by assert(); the message is the reason the check failed. */
export class CheckFailed extends Error {}

export function assert(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

/**
 * Records every document `page` loads in its main frame: `{ url, status, csp }`, where `csp` is a
 * promise of the Content-Security-Policy header (null when absent). Returns the list it fills.
 */
export function recordDocuments(page, into = []) {
  page.on('response', (response) => {
    const request = response.request();
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
    into.push({
      url: response.url(),
      status: response.status(),
      csp: response
        .allHeaders()
        .then((headers) => headers['content-security-policy'] ?? null)
        .catch(() => null),
    });
  });
  return into;
}

/**
 * Checks that `documents` (from recordDocuments) ran under the server's own policy, probed on a
 * fresh page of `context` at `url`. Returns the policy.
 */
export async function checkServerCsp(context, url, documents) {
  assert(documents.length > 0, 'no document was recorded');
  const sent = await Promise.all(documents.map(async (d) => ({ url: d.url, status: d.status, csp: await d.csp })));
  const without = sent.filter((d) => !d.csp);
  assert(without.length === 0, `documents without a Content-Security-Policy header: ${JSON.stringify(without)}`);
  const policies = [...new Set(sent.map((d) => d.csp))];
  assert(policies.length === 1, `the documents came with different policies: ${JSON.stringify(policies)}`);
  const [policy] = policies;
  const scripts = policy.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
  assert(
    scripts === "script-src 'self'",
    `the policy allows more than the site's own scripts (${scripts}): ${policy}`,
  );

  const page = await context.newPage();
  try {
    const response = await page.goto(url, { waitUntil: 'domcontentloaded' });
    assert(response?.ok(), `GET ${url} answered ${response?.status()}`);
    const header = (await response.allHeaders())['content-security-policy'];
    assert(header === policy, `GET ${url} sends the policy ${JSON.stringify(header)}, the tested pages got ${JSON.stringify(policy)}`);
    const probe = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const timer = setTimeout(() => resolve({ violation: null, ran: window.__wijkwerkCspProbe === true }), 5000);
          document.addEventListener(
            'securitypolicyviolation',
            (e) => {
              clearTimeout(timer);
              // Let the script element settle first: had it run, it would have set the flag.
              setTimeout(() => resolve({
                violation: { directive: e.effectiveDirective, policy: e.originalPolicy, disposition: e.disposition },
                ran: window.__wijkwerkCspProbe === true,
              }), 0);
            },
            { once: true },
          );
          const script = document.createElement('script');
          script.textContent = 'window.__wijkwerkCspProbe = true;';
          document.head.append(script);
        }),
    );
    assert(!probe.ran, 'an inline script ran: the page is not protected by a policy');
    assert(probe.violation, 'the blocked inline script raised no securitypolicyviolation');
    assert(
      probe.violation.policy === policy && probe.violation.disposition === 'enforce',
      `the browser enforced ${JSON.stringify(probe.violation)}, the server sent ${JSON.stringify(policy)}`,
    );
    assert(probe.violation.directive === 'script-src-elem', `the probe was blocked by ${probe.violation.directive}`);
  } finally {
    await page.close();
  }
  return policy;
}

/**
 * Prints the totals of `results` (one boolean per check run) against the `expected` number of
 * checks, and returns the exit status: 0 only when all `expected` checks ran and passed.
 */
export function summarise(results, expected) {
  const passed = results.filter(Boolean).length;
  let failed = results.length - passed;
  if (results.length !== expected) {
    console.log(`FAIL ${results.length} checks ran, the test declares ${expected}`);
    failed += 1;
  }
  console.log(`checks passed: ${passed} of ${expected}`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}
