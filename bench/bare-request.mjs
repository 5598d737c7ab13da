// The reference for start-up: a bare Node script that makes the same one HTTP request with node:http.
import http from 'node:http'

const url = new URL('/key/list?page=1&size=100&return_full_object=true', process.env.LITELLM_PROXY_URL)
http
  .get(url, {headers: {authorization: `Bearer ${process.env.LITELLM_MASTER_KEY}`, accept: 'application/json'}}, (res) => {
    let body = ''
    res.setEncoding('utf8')
    res.on('data', (d) => (body += d))
    res.on('end', () => process.stdout.write(`${JSON.parse(body).keys.length}\n`))
  })
  .on('error', (e) => {
    process.stderr.write(`${e.message}\n`)
    process.exitCode = 1
  })
