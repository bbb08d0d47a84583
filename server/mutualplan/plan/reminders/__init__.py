"""What is mailed and when: the day's reminders, bundled a person a day, the weekly countdown, and the
notices the sidebar shows."""
