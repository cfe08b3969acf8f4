export const THEME_STORAGE_KEY = 'um_theme';

/**
 * Runs in <head> before the first paint so the page never flashes the wrong
 * theme. "system" follows the OS, and only an explicit light preference gives
 * the light theme: with no preference at all the product is dark.
 */
export const themeScript = `(function(){try{var d=document.documentElement,s=localStorage.getItem('${THEME_STORAGE_KEY}');var t=s==='light'||s==='dark'?s:(window.matchMedia('(prefers-color-scheme: light)').matches?'light':'dark');d.classList.remove('light','dark');d.classList.add(t);d.style.colorScheme=t}catch(e){}})()`;
