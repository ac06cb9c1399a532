# Odoo 18 (official image) with the Python and OCA dependencies of this project's add-ons.
# The add-ons themselves are mounted by docker-compose.yml at /mnt/extra-addons.
FROM odoo:18.0

USER root
COPY requirements.txt /tmp/requirements.txt
# The image's Python is the system one (Debian/Ubuntu), hence --break-system-packages.
RUN pip3 install --no-cache-dir --break-system-packages -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt
USER odoo
