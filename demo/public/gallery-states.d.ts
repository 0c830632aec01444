/** Types of gallery-states.js, for the TypeScript that reads it (the docs site's build, site/build.ts). */

export interface State {
  /** Unique on a page: the `id` of its `li.state`. */
  id: string;
  title: string;
  note: string;
  /** The part that shows the state: the e2e tests check it is visible. */
  expect: string;
  make(): HTMLElement;
  /** Reaches the state through the element's own controls, when it needs the shopper's hand. */
  drive?(element: HTMLElement): Promise<unknown>;
}

export interface StateSection {
  tag: 'verification-flow' | 'otp-entry' | 'kba-quiz' | 'oth-waiting' | 'docv-status';
  states: State[];
}

export declare const stateSections: StateSection[];
export declare function standInForWebOtp(): void;
export declare function fakeClient(replies?: Record<string, unknown>): unknown;
export declare function settle(element: HTMLElement): Promise<void>;
export declare function stateItem(state: State): HTMLLIElement;
export declare function stateList(section: StateSection): HTMLUListElement;
export declare function chosenStates(sections: StateSection[], prefixes?: string[]): StateSection[];
export declare function stateDrawer(root?: ParentNode): { draw(states: State[]): Promise<boolean> };
