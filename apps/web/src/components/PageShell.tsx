import { A } from '@solidjs/router';
import { createEffect, Show, type JSX, type ParentProps } from 'solid-js';
import { LangSwitch } from './LangSwitch';

interface PageShellProps extends ParentProps {
  /** Shown in the header and the browser tab. */
  title: string;
  /** Where the title links to, inside this site (the router adds the `/s/{slug}` base). */
  homeHref?: string;
  nav?: JSX.Element;
  /** Links at the header's end, before the language switch (the storefront's cart and 我的). */
  actions?: JSX.Element;
  narrow?: boolean;
}

/** Header (title, optional navigation, language switch) and the page's main column. */
export function PageShell(props: PageShellProps) {
  createEffect(() => {
    document.title = props.title;
  });
  return (
    <div class="page">
      <header class="topbar">
        <A class="brand" href={props.homeHref ?? '/'} data-testid="page-title">{props.title}</A>
        <div class="topbar-end">
          <Show when={props.actions}>{props.actions}</Show>
          <LangSwitch />
        </div>
      </header>
      <Show when={props.nav}>
        <nav class="subnav">{props.nav}</nav>
      </Show>
      <main class={props.narrow ? 'content narrow' : 'content'}>{props.children}</main>
    </div>
  );
}
