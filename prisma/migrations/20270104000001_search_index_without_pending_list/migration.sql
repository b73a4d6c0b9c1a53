-- Each message goes into the full-text index as it is written: with the pending list (the
-- default), the insert that fills it pays for merging it, which showed as latency spikes.
ALTER INDEX "messages_search_vector_idx" SET (fastupdate = off);
