// Runs before test/setup-env.ts (which clears LITELLM_* so no test talks to a proxy by accident): keep the
// real proxy's coordinates from the harness under names only this suite reads.
for (const name of ['LITELLM_PROXY_URL', 'LITELLM_MASTER_KEY', 'DATABASE_URL']) {
  const value = process.env[name]
  if (value !== undefined) process.env[`KW_REAL_${name}`] = value
}
