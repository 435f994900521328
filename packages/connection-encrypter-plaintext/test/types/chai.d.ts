// The workspace installs chai 6 without @types/chai, so describe the small
// part of its API these tests (and chai-compat.ts) use.
declare module 'chai' {
  export interface Assertion {
    readonly to: Assertion
    readonly be: Assertion
    readonly been: Assertion
    readonly is: Assertion
    readonly that: Assertion
    readonly which: Assertion
    readonly and: Assertion
    readonly has: Assertion
    readonly have: Assertion
    readonly with: Assertion
    readonly not: Assertion
    readonly deep: Assertion
    readonly true: Assertion
    readonly false: Assertion
    readonly ok: Assertion
    readonly undefined: Assertion
    equal (value: unknown, message?: string): Assertion
    eql (value: unknown, message?: string): Assertion
    property (name: string, value?: unknown, message?: string): Assertion
    include (value: unknown, message?: string): Assertion
    match (re: RegExp, message?: string): Assertion
    instanceOf (ctor: unknown, message?: string): Assertion
    a (type: string, message?: string): Assertion
    oneOf (list: unknown[], message?: string): Assertion
    lessThan (n: number, message?: string): Assertion
    greaterThan (n: number, message?: string): Assertion
    throw (errorLike?: unknown, message?: string | RegExp): Assertion
  }

  export interface AssertionContext {
    _obj: unknown
    assert (expression: boolean, message: string, negatedMessage: string, expected?: unknown, actual?: unknown): void
  }

  export interface AssertionStatic {
    addMethod (name: string, method: (this: AssertionContext, ...args: any[]) => void): void
    addChainableMethod (name: string, method: (this: AssertionContext, ...args: any[]) => void, chainingBehavior: (this: AssertionContext) => void): void
  }

  export interface ChaiStatic {
    Assertion: AssertionStatic
  }

  export function expect (value: unknown, message?: string): Assertion
  export function use (plugin: (chai: ChaiStatic, utils: unknown) => void): void
}
