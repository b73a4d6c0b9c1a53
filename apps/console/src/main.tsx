import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createConsoleApi } from './api/console-api';
import { App } from './ui/App';
import './styles/base.css';
import './styles/layout.css';
import './styles/inbox.css';
import './styles/conversation.css';
import './styles/settings.css';
import './styles/admin.css';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element');

createRoot(root).render(
  <StrictMode>
    <App api={createConsoleApi()} />
  </StrictMode>,
);
