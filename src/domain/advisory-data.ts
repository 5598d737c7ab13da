// Security advisories for LiteLLM proxy releases: data only, read by domain/advisories.ts and `keyward status`.
// One entry per advisory. `published` is the day it was made public (UTC), `url` where it was published
// (null only when no public page was found; `note` then says where the fact comes from), `checked` the day
// an entry was last checked. Add new entries at the end; never remove one.
import type {Advisory} from './advisories.js'

export const ADVISORIES: readonly Advisory[] = [
  {
    id: 'PYSEC-2026-2',
    kind: 'compromised',
    title: 'compromised release: credential-stealing code published to PyPI (1.82.8 also installs a .pth that runs on every Python start)',
    versions: ['1.82.7', '1.82.8'],
    published: '2026-03-24',
    url: 'https://docs.litellm.ai/blog/security-update-march-2026',
    alsoSee: ['https://github.com/BerriAI/litellm/issues/24518', 'https://osv.dev/vulnerability/MAL-2026-2144'],
    advice: 'remove that release, rotate every credential the proxy host could read (provider keys, master key, cloud and SSH keys), delete any litellm_init.pth, then upgrade',
    checked: '2026-12-02',
  },
  {
    id: 'LITELLM-2026-10-1.107.0',
    kind: 'compromised',
    title: 'compromised release on PyPI, Docker Hub and GHCR',
    versions: ['1.107.0'],
    published: '2026-10-21',
    url: null,
    alsoSee: [],
    note: 'reported in keyward\'s project brief (issue #15) and not yet published: no public advisory from LiteLLM was found in GitHub issues, documentation or web pages searched on 2026-12-02',
    advice: 'remove that release, rotate every credential the proxy host could read (provider keys, master key, cloud keys), then upgrade',
    checked: '2026-12-02',
  },
  {
    id: 'CVE-2026-42208',
    kind: 'vulnerable',
    title: 'SQL injection in the proxy API key check, reachable without a key (GHSA-r75f-5x8p-qvmc, CVSS 9.3, in CISA KEV)',
    range: {introduced: '1.81.16', fixed: '1.83.7'},
    published: '2026-05-08',
    url: 'https://github.com/advisories/GHSA-r75f-5x8p-qvmc',
    alsoSee: ['https://nvd.nist.gov/vuln/detail/CVE-2026-42208'],
    advice: 'upgrade to 1.83.7 or later, then rotate the master key and the virtual keys',
    checked: '2026-12-02',
  },
]
