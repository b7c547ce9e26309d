/**
 * The API's paths and the methods each accepts. Fastify answers an unknown method on a known
 * path with 404; the API answers 405 with `Allow` instead, which needs this lookup.
 */
export class RouteTable {
  private readonly routes: { pattern: RegExp; methods: Set<string> }[] = [];

  add(methods: string | string[], url: string): void {
    const source = `^${url
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\/:[^/]+/g, '/[^/]+')
      .replace(/\*/g, '.*')}$`;
    let route = this.routes.find((r) => r.pattern.source === source);
    if (!route) {
      route = { pattern: new RegExp(source), methods: new Set() };
      this.routes.push(route);
    }
    for (const method of [methods].flat()) route.methods.add(method.toUpperCase());
    if (route.methods.has('GET')) route.methods.add('HEAD');
  }

  /** Every method some route accepts on this path (without the query), sorted; empty when none. */
  methodsFor(path: string): string[] {
    const methods = new Set<string>();
    for (const route of this.routes) if (route.pattern.test(path)) for (const m of route.methods) methods.add(m);
    return [...methods].sort();
  }
}
