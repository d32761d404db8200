/**
 * Ant Design under `style-src 'self' 'nonce-…'`. This module must be the first import of the entry.
 *
 * `ConfigProvider csp={{ nonce }}` covers antd's CSS-in-JS, but @rc-component/util (scrollbar
 * measuring, the Modal scroll lock) creates `<style>` elements without a nonce, and TextArea
 * autoSize / Watermark write `style` attributes; both would be blocked by the policy.
 * Only same-origin scripts can run here, and they could read the nonce anyway; markup injected
 * through the HTML parser still gets no nonce and stays blocked.
 */

/** The per-request nonce the server substitutes into `<meta property="csp-nonce" nonce="…">`. */
export const nonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce || undefined;

// <style> elements created by any library get the nonce before they are inserted.
// eslint-disable-next-line @typescript-eslint/unbound-method -- only ever invoked via .call() with the original receiver
const create = Document.prototype.createElement;
Document.prototype.createElement = function (this: Document, tagName: string, options?: ElementCreationOptions) {
  const el = create.call(this, tagName, options);
  if (nonce && el instanceof HTMLStyleElement && !el.nonce) el.nonce = nonce;
  return el;
};

// setAttribute('style', …) is a `style-src-attr` violation; the same text through CSSOM is not.
// eslint-disable-next-line @typescript-eslint/unbound-method -- only ever invoked via .call() with the original receiver
const setAttr = Element.prototype.setAttribute;
Element.prototype.setAttribute = function (this: Element, name: string, value: string) {
  if (name.toLowerCase() === 'style' && (this instanceof HTMLElement || this instanceof SVGElement)) {
    this.style.cssText = String(value);
    return;
  }
  return setAttr.call(this, name, value);
};
