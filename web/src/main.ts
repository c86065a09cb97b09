// Entry point of the web map (index.html loads it).
import './style.css';
import './report.css';
import { start } from './app';

start().catch((error: unknown) => {
  console.error('wijkwerk: start failed', error);
});
