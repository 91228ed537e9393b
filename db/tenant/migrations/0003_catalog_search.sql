-- Product search: FTS5 with the trigram tokenizer finds Chinese (and any) substrings of three or
-- more characters; shorter queries fall back to LIKE in code. External content: the index keeps
-- only tokens, products keeps the text; the triggers keep them in step inside every write.
CREATE VIRTUAL TABLE product_search USING fts5(title, subtitle, content='products', content_rowid='rowid', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER products_search_insert AFTER INSERT ON products BEGIN
  INSERT INTO product_search (rowid, title, subtitle) VALUES (new.rowid, new.title, new.subtitle);
END;
--> statement-breakpoint
CREATE TRIGGER products_search_delete AFTER DELETE ON products BEGIN
  INSERT INTO product_search (product_search, rowid, title, subtitle) VALUES ('delete', old.rowid, old.title, old.subtitle);
END;
--> statement-breakpoint
CREATE TRIGGER products_search_update AFTER UPDATE OF title, subtitle ON products BEGIN
  INSERT INTO product_search (product_search, rowid, title, subtitle) VALUES ('delete', old.rowid, old.title, old.subtitle);
  INSERT INTO product_search (rowid, title, subtitle) VALUES (new.rowid, new.title, new.subtitle);
END;
