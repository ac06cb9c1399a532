# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).

from . import test_install
from . import test_trace
from . import test_portal
from . import test_reports
from . import test_workflow
from . import test_blocking
from . import test_notices
from . import test_execution
from . import test_mock
from . import test_security
from . import test_tour
from . import test_i18n
