// Open Graph tags for a published video's page (issue 14): a link shared in a chat or a post
// previews with its title, description and thumbnail. Added to the studio's index.html as built;
// every value is escaped for an HTML attribute.
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface OpenGraphVideo {
  id: string;
  title: string;
  description: string;
  prompt: string;
  made_with: string;
  size: string;
  author: { handle: string; display_name: string | null };
  thumbnail_url: string;
  content_url: string;
}

export function openGraphTags(indexHtml: string, v: OpenGraphVideo, origin: string): string {
  const [width, height] = v.size.split('x');
  const by = v.author.display_name ? `${v.author.display_name} (@${v.author.handle})` : `@${v.author.handle}`;
  const description = (v.description || v.prompt).slice(0, 280);
  const tags: [string, string][] = [
    ['og:type', 'video.other'], ['og:site_name', 'Méliès'], ['og:title', `${v.title} — by ${by}`], ['og:description', `${description} · ${v.made_with}`],
    ['og:url', `${origin}/v/${v.id}`], ['og:image', `${origin}${v.thumbnail_url}`], ['og:video', `${origin}${v.content_url}`], ['og:video:type', 'video/mp4'],
    ['og:video:width', width ?? ''], ['og:video:height', height ?? ''], ['twitter:card', 'player'],
  ];
  const meta = tags.map(([k, val]) => `<meta property="${k}" content="${esc(val)}">`).join('\n    ');
  const title = `<title>${esc(v.title)} · Méliès</title>`;
  // Replacer functions, never replacement strings: a title with `$&` or `$'` must stay text.
  const withTitle = /<title>[^<]*<\/title>/.test(indexHtml) ? indexHtml.replace(/<title>[^<]*<\/title>/, () => title) : indexHtml.replace(/(<head[^>]*>)/i, (h) => `${h}${title}`);
  // Inside <head> when the page has one; a page with implied <head> (no tag) takes them after its title.
  return withTitle.includes('</head>') ? withTitle.replace('</head>', () => `    ${meta}\n  </head>`) : withTitle.replace(title, () => `${title}\n    ${meta}`);
}
