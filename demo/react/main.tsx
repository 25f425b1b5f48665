/**
 * The React 19 example's entry. Importing the define module registers `<kassa-checkout>` (and the elements it
 * renders) before React renders anything, so React 19 finds the element's properties and sets `order`, `navigate`
 * … as properties rather than attributes.
 */
import 'kassa/define/checkout';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../public/demo.css';
import { App } from './App.tsx';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
