/** Tailwind CSS 4 runs as a PostCSS plugin; it needs no tailwind.config file. */
export default {
  plugins: {
    "@tailwindcss/postcss": {},
  },
};
