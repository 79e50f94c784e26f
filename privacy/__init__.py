"""A customer's whole record, across apps: the customer page, the data-subject export and
erase, the retention purge.

It sits above `customers` and `feedback` because it reads and clears both (interactions and
their survey answers), so neither of those needs to know the other's personal data. No models.
"""
