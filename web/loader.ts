// placeholder: the embed loader (filled in by issue 14, W3)
export {};
