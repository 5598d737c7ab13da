/**
 * oclif passes every string of its help (descriptions, summaries, flag texts, examples) through ejs, which
 * compiles a new function per string on every run: ~10 ms of `keys --help`, none of it kept by the code
 * cache. keyward's strings hold two templates only, `<%= config.bin %>` and `<%= command.id %>`: this fills
 * those in itself, returns a string without `<%` or `%>` as it is (what ejs returns for it; ejs drops a stray `%>`), and hands anything
 * else to ejs, so the output is ejs's, byte for byte (test/cli/help-template.test.ts compares them).
 */
export interface TemplateContext {
  config: {bin: string}
  command?: {id: string}
}

// ejs's escaping for `<%=`: the five characters of escapeXML.
const XML: Record<string, string> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;'}
const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => XML[c]!)

export function fastTemplate(context: TemplateContext, ejsRender: (t: string) => string): (t: string) => string {
  return (t) => {
    if (typeof t !== 'string') return ejsRender(t)
    if (!t.includes('<%') && !t.includes('%>')) return t
    let out = t.replaceAll('<%= config.bin %>', escapeXml(String(context.config.bin)))
    if (context.command && typeof context.command.id === 'string') out = out.replaceAll('<%= command.id %>', escapeXml(context.command.id))
    return out.includes('<%') || out.includes('%>') ? ejsRender(t) : out
  }
}
