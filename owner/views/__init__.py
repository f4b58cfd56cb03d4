"""The owner app's pages: review, calendar, today's quick post."""
