import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { defineElement } from '../../../src/elements/shared/define.js';

let counter = 0;
const uniqueTag = () => `define-probe-${Date.now()}-${counter++}`;

describe('defineElement', () => {
  afterEach(() => sinon.restore());

  it('defines the tag', () => {
    const tag = uniqueTag();
    class Probe extends HTMLElement {}
    expect(defineElement(tag, Probe)).to.equal(true);
    expect(customElements.get(tag)).to.equal(Probe);
  });

  it('does nothing when the same class already holds the tag', () => {
    const tag = uniqueTag();
    class Probe extends HTMLElement {}
    const warn = sinon.stub(console, 'warn');
    defineElement(tag, Probe);
    expect(defineElement(tag, Probe)).to.equal(true);
    expect(warn.called).to.equal(false);
  });

  it('warns and keeps the first definition when another class holds the tag', () => {
    const tag = uniqueTag();
    class First extends HTMLElement {}
    class Second extends HTMLElement {}
    const warn = sinon.stub(console, 'warn');
    defineElement(tag, First);
    expect(defineElement(tag, Second)).to.equal(false);
    expect(customElements.get(tag)).to.equal(First);
    expect(warn.calledOnce).to.equal(true);
    expect(String(warn.firstCall.args[0])).to.contain(tag);
  });

  it('registers a class under a second name', () => {
    const first = uniqueTag();
    const second = uniqueTag();
    class Probe extends HTMLElement {}
    defineElement(first, Probe);
    expect(defineElement(second, Probe)).to.equal(true);
    expect(document.createElement(second)).to.be.instanceOf(Probe);
    expect(defineElement(second, Probe)).to.equal(true);
  });

  it('uses the registry it is given', () => {
    const tag = uniqueTag();
    class Probe extends HTMLElement {}
    const registry = { get: sinon.stub().returns(undefined), define: sinon.spy() } as unknown as CustomElementRegistry;
    defineElement(tag, Probe, registry);
    expect((registry.define as sinon.SinonSpy).calledOnceWith(tag, Probe)).to.equal(true);
    expect(customElements.get(tag)).to.equal(undefined);
  });
});
