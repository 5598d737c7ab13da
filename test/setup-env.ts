// Pin the environment every test sees: UTC, no colour, a fixed terminal width.
process.env.TZ = 'UTC'
process.env.NO_COLOR = '1'
process.env.COLUMNS = '120'
delete process.env.LITELLM_MASTER_KEY
delete process.env.LITELLM_PROXY_API_KEY
delete process.env.LITELLM_API_KEY
delete process.env.LITELLM_PROXY_URL
