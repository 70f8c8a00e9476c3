// placeholder: the chat (filled in by issue 14, W3)
export {};
